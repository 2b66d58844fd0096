import org.gradle.api.Plugin
import org.gradle.api.Project
import org.gradle.api.tasks.testing.Test
import org.gradle.kotlin.dsl.configure
import org.gradle.kotlin.dsl.dependencies
import org.gradle.kotlin.dsl.withType
import org.jetbrains.kotlin.gradle.dsl.KotlinJvmProjectExtension

/** A plain Kotlin module (no Android): Kotlin on JDK 17, its tests on JUnit 5. */
class LkJvmLibraryPlugin : Plugin<Project> {
    override fun apply(target: Project) {
        with(target) {
            pluginManager.apply("org.jetbrains.kotlin.jvm")
            extensions.configure<KotlinJvmProjectExtension> { jvmToolchain(JDK) }
            tasks.withType<Test>().configureEach { useJUnitPlatform() }
            dependencies {
                add("testImplementation", catalog.library("junit-jupiter"))
                add("testRuntimeOnly", catalog.library("junit-platform-launcher"))
            }
        }
    }
}
