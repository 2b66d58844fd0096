// The payment feature's presenters (lk.android.feature: plain Kotlin over the presentation module,
// tested on the JVM against fakes and the real core; see build-logic).
plugins {
    id("lk.android.feature")
}

android {
    namespace = "ru.vostok.lk.android.features.payment"
}
