// The LK Android app (issue 16): an interface module, one implementation over the bindings,
// presenters per feature in plain Kotlin, and the Compose app. Shaped after Element X Android.
pluginManagement {
    // The convention plugins (lk.jvm.library, lk.android.library, lk.android.feature).
    includeBuild("build-logic")
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "lk-android"

include(":app")
include(":libraries:lk:api")
include(":libraries:lk:impl")
include(":libraries:lk:test")
include(":libraries:presentation")
listOf(
    "signin", "registration", "recovery", "accounts", "charges", "payment",
    "readings", "reports", "settings", "rounds"
).forEach { include(":features:$it") }
