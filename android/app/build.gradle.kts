// The app: Compose screens that draw a presenter's State and send its events, the Activity and
// navigation, and the platform's services (Keystore, Custom Tabs, camera with ML Kit, FCM,
// WorkManager, connectivity) behind the presenters' small interfaces.
plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
    alias(libs.plugins.google.services)
}

android {
    namespace = "ru.vostok.lk.android.app"
    compileSdk = libs.versions.compileSdk.get().toInt()

    defaultConfig {
        applicationId = "ru.vostok.lk"
        minSdk = libs.versions.minSdk.get().toInt()
        targetSdk = libs.versions.targetSdk.get().toInt()
        versionCode = 1
        versionName = "0.1.0"
        // The LK service; the demo runs on the development machine (see android/README.md).
        buildConfigField("String", "LK_BASE_URL", "\"${providers.gradleProperty("lk.baseUrl").getOrElse("https://lk.vostok.example")}\"")
        // Where the acquirer sends the person back: the verified app link on the service's domain.
        buildConfigField(
            "String",
            "PAYMENT_RETURN_URL",
            "\"${providers.gradleProperty("lk.baseUrl").getOrElse("https://lk.vostok.example")}/app/payments/return\""
        )
        resourceConfigurations += "ru"
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            isShrinkResources = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    buildFeatures {
        compose = true
        buildConfig = true
    }

    packaging {
        // 16 KB page alignment of the native libraries (Android 15+): stored uncompressed, aligned.
        jniLibs.useLegacyPackaging = false
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    implementation(project(":libraries:lk:impl"))
    implementation(project(":libraries:presentation"))
    listOf("signin", "registration", "recovery", "accounts", "charges", "payment", "readings", "reports", "settings", "rounds")
        .forEach { implementation(project(":features:$it")) }

    implementation(platform(libs.compose.bom))
    implementation(libs.compose.material3)
    implementation(libs.compose.ui)
    implementation(libs.compose.ui.tooling.preview)
    debugImplementation(libs.compose.ui.tooling)
    implementation(libs.activity.compose)
    implementation(libs.navigation.compose)
    implementation(libs.lifecycle.runtime.compose)
    implementation(libs.lifecycle.process)
    implementation(libs.lifecycle.viewmodel.compose)
    implementation(libs.compose.material.icons)
    implementation(libs.core.ktx)
    implementation(libs.kotlinx.coroutines.android)
    implementation(libs.browser)
    implementation(libs.camerax.camera2)
    implementation(libs.camerax.lifecycle)
    implementation(libs.camerax.view)
    // The bundled model: recognition works offline from the first start.
    implementation(libs.mlkit.text.recognition)
    implementation(libs.work.runtime)
    implementation(platform(libs.firebase.bom))
    implementation(libs.firebase.messaging)
}
