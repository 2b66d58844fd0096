//! Devices that get push notifications (R22).

use serde::{Deserialize, Serialize};

response! {
    #[derive(Copy)]
    #[serde(rename_all = "snake_case")]
    pub enum PushPlatform {
        /// Firebase Cloud Messaging (Android).
        Fcm,
        /// Apple Push Notification service (iOS).
        Apns,
    }
}

request! {
    pub struct DeviceRegistration {
        pub platform: PushPlatform,
        /// The registration token (FCM) or device token (APNs) the platform gave the app.
        pub token: String,
    }
}
