// The settings feature's presenters: plain Kotlin with coroutines, no android.* and no Compose runtime,
// tested on the JVM (src/test) against fakes and the real core. An Android library only so
// that its tests may load the implementation module; scripts/test-android compiles it without
// android.jar, which keeps it free of the platform.
plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

android {
    namespace = "ru.vostok.lk.android.features.settings"
    compileSdk = libs.versions.compileSdk.get().toInt()
    defaultConfig { minSdk = libs.versions.minSdk.get().toInt() }
    testOptions.unitTests.all {
        it.useJUnitPlatform()
        // The core built for the host, for the tests that use the real implementation.
        it.systemProperty("jna.library.path", rootDir.resolve("../target/debug").path)
        it.systemProperty("lk.server", rootDir.resolve("../target/debug/lk-server").path)
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    implementation(project(":libraries:presentation"))
    testImplementation(project(":libraries:lk:test"))
    testImplementation(project(":libraries:lk:impl"))
    testImplementation(libs.jna)
    testImplementation(libs.junit.jupiter)
    testRuntimeOnly(libs.junit.platform.launcher)
}
