//! The three regions served by АО «ЭК «Восток», their cities, clocks and reading windows.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::period::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Kurgan,
    Tyumen,
    Orenburg,
}

impl Region {
    pub const ALL: [Region; 3] = [Region::Kurgan, Region::Tyumen, Region::Orenburg];

    pub fn name_ru(self) -> &'static str {
        match self {
            Region::Kurgan => "Курганская область",
            Region::Tyumen => "Тюменская область",
            Region::Orenburg => "Оренбургская область",
        }
    }

    /// The region's site, where the manual sends feedback.
    pub fn site(self) -> &'static str {
        match self {
            Region::Kurgan => "www.kurgan.vostok-electra.ru",
            Region::Tyumen => "www.tyumen.vostok-electra.ru",
            Region::Orenburg => "www.orenburg.vostok-electra.ru",
        }
    }

    /// All three keep Yekaterinburg time (UTC+5) today; the IANA zone, not a fixed offset, is kept
    /// so that dates before the 2014 clock change are judged right too.
    pub fn time_zone(self) -> Tz {
        match self {
            Region::Kurgan | Region::Tyumen | Region::Orenburg => chrono_tz::Asia::Yekaterinburg,
        }
    }

    /// The cities of the registration form (R2), the region's centre first.
    pub fn cities(self) -> &'static [&'static str] {
        match self {
            Region::Kurgan => &[
                "Курган",
                "Шадринск",
                "Шумиха",
                "Катайск",
                "Далматово",
                "Куртамыш",
                "Петухово",
                "Макушино",
                "Щучье",
            ],
            Region::Tyumen => &["Тюмень", "Тобольск", "Ишим", "Ялуторовск", "Заводоуковск"],
            Region::Orenburg => &[
                "Оренбург",
                "Орск",
                "Новотроицк",
                "Бузулук",
                "Бугуруслан",
                "Гай",
                "Сорочинск",
                "Медногорск",
                "Кувандык",
            ],
        }
    }

    /// The region a city of the list belongs to.
    pub fn of_city(city: &str) -> Option<Region> {
        let wanted = city.trim().to_lowercase();
        Region::ALL
            .into_iter()
            .find(|region| region.cities().iter().any(|c| c.to_lowercase() == wanted))
    }

    /// The calendar date in the region at an instant.
    pub fn local_date(self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.time_zone()).date_naive()
    }

    /// The reading window the supplier publishes for the region (the server may override it).
    pub fn default_window(self) -> SubmissionWindow {
        match self {
            Region::Kurgan => SubmissionWindow {
                first_day: 15,
                last_day: 25,
                outside: OutsideWindow::AcceptForNextPeriod,
            },
            Region::Tyumen => {
                SubmissionWindow { first_day: 20, last_day: 25, outside: OutsideWindow::Refuse }
            }
            Region::Orenburg => SubmissionWindow {
                first_day: 15,
                last_day: 26,
                outside: OutsideWindow::AcceptForNextPeriod,
            },
        }
    }
}

/// What happens to readings sent outside the window (R12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum OutsideWindow {
    /// The LK does not take them; the resident comes back when the window opens.
    Refuse,
    /// Taken after the resident confirms, and used for the next billing period.
    AcceptForNextPeriod,
}

/// Days of the month, in the region's local time, when readings count for the current period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SubmissionWindow {
    pub first_day: u32,
    pub last_day: u32,
    pub outside: OutsideWindow,
}

impl SubmissionWindow {
    pub fn is_open_on(&self, date: NaiveDate) -> bool {
        (self.first_day..=self.last_day).contains(&date.day())
    }

    /// The billing period a reading taken on `date` counts for, or `None` when the window is
    /// closed and the policy refuses. Before the window opens a late reading still belongs to the
    /// current month's period; after it closes, to the next month's.
    pub fn period_for(&self, date: NaiveDate) -> Option<Period> {
        let this = Period::of_date(date);
        if self.is_open_on(date) {
            return Some(this);
        }
        match self.outside {
            OutsideWindow::Refuse => None,
            OutsideWindow::AcceptForNextPeriod if date.day() > self.last_day => Some(this.next()),
            OutsideWindow::AcceptForNextPeriod => Some(this),
        }
    }
}

/// A reminder of the reading window due on a day (R22): on its first day, and when two days
/// are left (the day before the last, so "two days" counts today and the last day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowReminder {
    Opened,
    TwoDaysLeft,
}

impl SubmissionWindow {
    pub fn reminder_on(&self, date: NaiveDate) -> Option<WindowReminder> {
        match date.day() {
            day if day == self.first_day => Some(WindowReminder::Opened),
            day if day + 1 == self.last_day => Some(WindowReminder::TwoDaysLeft),
            _ => None,
        }
    }
}

impl WindowReminder {
    /// Stable name of the push event.
    pub fn code(self) -> &'static str {
        match self {
            WindowReminder::Opened => "window_open",
            WindowReminder::TwoDaysLeft => "window_closing",
        }
    }

    pub fn title_ru(self) -> &'static str {
        match self {
            WindowReminder::Opened => "Открыт приём показаний",
            WindowReminder::TwoDaysLeft => "Приём показаний заканчивается",
        }
    }

    pub fn text_ru(self, window: &SubmissionWindow) -> String {
        match self {
            WindowReminder::Opened => {
                format!("Передайте показания счётчиков до {} числа включительно", window.last_day)
            }
            WindowReminder::TwoDaysLeft => format!(
                "Осталось два дня: показания принимаются до {} числа включительно",
                window.last_day
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_region_has_cities_and_finds_them_back() {
        for region in Region::ALL {
            assert!(!region.cities().is_empty());
            for city in region.cities() {
                assert_eq!(Region::of_city(city), Some(region));
            }
        }
        assert_eq!(Region::of_city(" тюмень "), Some(Region::Tyumen));
        assert_eq!(Region::of_city("Москва"), None);
    }

    #[test]
    fn dates_are_judged_in_the_regions_clock() {
        // 20:30 UTC on the 25th is already the 26th in Tyumen (UTC+5).
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 20, 30, 0).unwrap();
        assert_eq!(Region::Tyumen.local_date(at), NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
        // Before 26 October 2014 the zone was UTC+6.
        let old = Utc.with_ymd_and_hms(2013, 1, 31, 18, 30, 0).unwrap();
        assert_eq!(Region::Kurgan.local_date(old), NaiveDate::from_ymd_opt(2013, 2, 1).unwrap());
    }

    #[test]
    fn window_decides_the_period() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        let accept = Region::Kurgan.default_window();
        assert_eq!(accept.period_for(d(20)), Some(Period::new(2026, 12).unwrap()));
        assert_eq!(accept.period_for(d(3)), Some(Period::new(2026, 12).unwrap()));
        assert_eq!(accept.period_for(d(28)), Some(Period::new(2027, 1).unwrap()));
        let refuse = Region::Tyumen.default_window();
        assert_eq!(refuse.period_for(d(19)), None);
        assert_eq!(refuse.period_for(d(25)), Some(Period::new(2026, 12).unwrap()));
    }

    #[test]
    fn reminders_fall_on_the_first_day_and_when_two_days_are_left() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let kurgan = Region::Kurgan.default_window(); // 15–25
        assert_eq!(kurgan.reminder_on(d(15)), Some(WindowReminder::Opened));
        assert_eq!(kurgan.reminder_on(d(23)), None, "three days are left on the 23rd");
        assert_eq!(kurgan.reminder_on(d(24)), Some(WindowReminder::TwoDaysLeft));
        assert_eq!(kurgan.reminder_on(d(25)), None);
        assert_eq!(
            WindowReminder::TwoDaysLeft.text_ru(&kurgan),
            "Осталось два дня: показания принимаются до 25 числа включительно"
        );
    }
}
