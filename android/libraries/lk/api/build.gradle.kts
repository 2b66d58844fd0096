// What the features may ask of the LK, in plain Kotlin: interfaces with suspend functions and
// StateFlows, and the data the screens show. No Android, no bindings.
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    api(libs.kotlinx.coroutines.core)
}
