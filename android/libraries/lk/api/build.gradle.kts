// What the features may ask of the LK, in plain Kotlin: interfaces with suspend functions and
// StateFlows, and the data the screens show. No Android, no bindings.
plugins {
    id("lk.jvm.library")
}

dependencies {
    api(libs.kotlinx.coroutines.core)
}
