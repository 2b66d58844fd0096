package ru.vostok.lk.android.api

/** The units of the core's services, for [RussianFormat.quantity]. */
enum class MeasureUnit { KWH, CUBIC_METRE, SQUARE_METRE, GCAL, PERSON, MONTH }

/** A meter's tariff zone: one value of a reading per zone. */
enum class TariffZone { SINGLE, DAY, NIGHT, PEAK, SEMI_PEAK }

enum class MeterKind { ELECTRICITY_SINGLE, ELECTRICITY_TWO_ZONE, ELECTRICITY_THREE_ZONE, COLD_WATER, HOT_WATER, GAS, HEAT }

/** Where codes and links go. */
enum class Channel { PHONE, EMAIL }

/** Who is signed in: residents see their accounts, readers their rounds (R24). */
enum class Role { RESIDENT, READER, OFFICE }

/** An action kept on the device: waiting for the network, accepted, or refused and waiting for the person. */
enum class OutboxState { QUEUED, SENT, NEEDS_ACTION }

enum class OutboxKind { READING, DOCUMENT_EMAIL, NOTIFICATIONS, ROUND_CAPTURE }

enum class PushPlatform { FCM, APNS }
