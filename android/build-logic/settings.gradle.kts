// The convention plugins of the LK Android build (included from ../settings.gradle.kts): what
// every plain Kotlin module, Android library module and feature module share, written once.
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
    versionCatalogs {
        create("libs") {
            from(files("../gradle/libs.versions.toml"))
        }
    }
}

rootProject.name = "build-logic"
include(":convention")
