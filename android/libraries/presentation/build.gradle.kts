// What every feature's presenter shares: the presenter's shape, navigation, the platform's
// services as interfaces, and the wording of failures and of data kept offline. Plain Kotlin.
plugins {
    id("lk.jvm.library")
}

dependencies {
    api(project(":libraries:lk:api"))
    testImplementation(project(":libraries:lk:test"))
}
