// What the presenters' tests share: fakes of the LK's interfaces, recording navigators and
// platform services, a way to wait for a state, and the real LK service with its demo pages
// for the integration tests. Plain Kotlin.
plugins {
    id("lk.jvm.library")
}

dependencies {
    api(project(":libraries:presentation"))
}
