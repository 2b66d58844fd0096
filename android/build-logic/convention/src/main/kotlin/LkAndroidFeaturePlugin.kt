import org.gradle.api.Plugin
import org.gradle.api.Project
import org.gradle.kotlin.dsl.dependencies
import org.gradle.kotlin.dsl.project

/**
 * A feature's presenters: plain Kotlin with coroutines over the presentation module, no
 * android.* and no Compose runtime. An Android library only so that its tests may load the
 * implementation module; scripts/test-android compiles it without android.jar, which keeps it
 * free of the platform. Tested against the fakes and the real core.
 */
class LkAndroidFeaturePlugin : Plugin<Project> {
    override fun apply(target: Project) {
        with(target) {
            pluginManager.apply("lk.android.library")
            dependencies {
                add("implementation", project(":libraries:presentation"))
                add("testImplementation", project(":libraries:lk:test"))
                add("testImplementation", project(":libraries:lk:impl"))
            }
        }
    }
}
