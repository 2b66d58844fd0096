package ru.vostok.lk.android.api

/** The profile (R16–R20) and push registration (R22). */
interface LkSettings {
    suspend fun profile(): Cached<Profile>

    suspend fun changePassword(old: String, new: String, repeat: String)

    /** Queued when offline. */
    suspend fun setNotifications(notifications: Notifications): OutboxItem

    suspend fun changePhone(phone: String): ContactChange

    suspend fun confirmPhone(id: String, code: String): Profile

    /** A link goes to the new address; the change is made when it is followed. */
    suspend fun changeEmail(email: String): ContactChange

    /** R19: another profile's accounts, by its login and password. */
    suspend fun linkAccount(login: String, password: String): Profile

    /** R20: the paper-refusal application, filled in, as PDF to print and sign. */
    suspend fun paperRefusalPdf(account: String): ByteArray

    /** R22: the push token the platform gave, after sign-in and whenever it changes. */
    suspend fun registerDevice(platform: PushPlatform, token: String)
}

data class Profile(
    val login: String,
    val role: Role,
    val phone: String?,
    val email: String?,
    val city: String,
    val accounts: List<ProfileAccount>,
    val notifications: Notifications
)

data class ProfileAccount(val number: String, val address: String, val own: Boolean)

data class Notifications(
    val readingWindow: Boolean,
    val newDocument: Boolean,
    val paymentResult: Boolean,
    /** R18: a copy of every receipt to the profile's e-mail. */
    val receiptByEmail: Boolean
)

data class ContactChange(val id: String, val sentTo: String)
