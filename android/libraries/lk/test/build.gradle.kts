// What the presenters' tests share: fakes of the LK's interfaces, recording navigators and
// platform services, a way to wait for a state, and the real LK service with its demo pages
// for the integration tests. Plain Kotlin.
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    api(project(":libraries:presentation"))
}
