// lk.jvm.library, lk.android.library and lk.android.feature: the modules' shared setup.
plugins {
    `kotlin-dsl`
}

dependencies {
    compileOnly(libs.android.gradle.plugin)
    compileOnly(libs.kotlin.gradle.plugin)
}

gradlePlugin {
    plugins {
        register("lkJvmLibrary") {
            id = "lk.jvm.library"
            implementationClass = "LkJvmLibraryPlugin"
        }
        register("lkAndroidLibrary") {
            id = "lk.android.library"
            implementationClass = "LkAndroidLibraryPlugin"
        }
        register("lkAndroidFeature") {
            id = "lk.android.feature"
            implementationClass = "LkAndroidFeaturePlugin"
        }
    }
}
