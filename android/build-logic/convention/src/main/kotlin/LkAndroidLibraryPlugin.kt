import com.android.build.api.dsl.LibraryExtension
import org.gradle.api.Plugin
import org.gradle.api.Project
import org.gradle.kotlin.dsl.configure
import org.gradle.kotlin.dsl.dependencies
import org.jetbrains.kotlin.gradle.dsl.KotlinAndroidProjectExtension

/**
 * An Android library module: the catalog's SDK levels, Kotlin on JDK 17, its unit tests on
 * JUnit 5 with the core built for the host (`target/debug`: `liblk_ffi.so` through JNA and
 * `lk-server`) for the tests that use the real implementation. The module sets its namespace.
 */
class LkAndroidLibraryPlugin : Plugin<Project> {
    override fun apply(target: Project) {
        with(target) {
            pluginManager.apply("com.android.library")
            pluginManager.apply("org.jetbrains.kotlin.android")
            val hostBuild = rootDir.resolve("../target/debug")
            extensions.configure<LibraryExtension> {
                compileSdk = catalog.version("compileSdk")
                defaultConfig { minSdk = catalog.version("minSdk") }
                testOptions.unitTests.all {
                    it.useJUnitPlatform()
                    it.systemProperty("jna.library.path", hostBuild.path)
                    it.systemProperty("lk.server", hostBuild.resolve("lk-server").path)
                }
            }
            extensions.configure<KotlinAndroidProjectExtension> { jvmToolchain(JDK) }
            dependencies {
                add("testImplementation", catalog.library("jna"))
                add("testImplementation", catalog.library("junit-jupiter"))
                add("testRuntimeOnly", catalog.library("junit-platform-launcher"))
            }
        }
    }
}
