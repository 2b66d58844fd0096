// What every feature's presenter shares: the presenter's shape, navigation, the platform's
// services as interfaces, and the wording of failures and of data kept offline. Plain Kotlin.
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    api(project(":libraries:lk:api"))
}
