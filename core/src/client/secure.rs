//! Where the refresh token lives: the platform's keystore (Android Keystore, iOS Keychain)
//! behind a trait the platform implements; a file for the terminal client and tests.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

/// A small secret store. Implementations must persist across restarts of the app.
pub trait SecureStore: Send + Sync {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str);
    fn delete(&self, key: &str);
}

/// Secrets in a JSON file readable only by its owner (the terminal client's choice, like
/// `~/.netrc`; on phones the platform's keystore is used instead).
pub struct FileSecureStore {
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileSecureStore {
    pub fn new(path: PathBuf) -> FileSecureStore {
        FileSecureStore { path, lock: Mutex::new(()) }
    }

    fn read(&self) -> BTreeMap<String, String> {
        std::fs::read_to_string(&self.path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    fn write(&self, map: &BTreeMap<String, String>) {
        let Ok(text) = serde_json::to_string(map) else { return };
        let temporary = self.path.with_extension("tmp");
        if std::fs::write(&temporary, text).is_ok() {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ =
                    std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o600));
            }
            let _ = std::fs::rename(&temporary, &self.path);
        }
    }
}

impl SecureStore for FileSecureStore {
    fn get(&self, key: &str) -> Option<String> {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.read().get(key).cloned()
    }

    fn set(&self, key: &str, value: &str) {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut map = self.read();
        map.insert(key.to_owned(), value.to_owned());
        self.write(&map);
    }

    fn delete(&self, key: &str) {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut map = self.read();
        if map.remove(key).is_some() {
            self.write(&map);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_survive_a_new_instance_and_can_be_deleted() {
        let dir = std::env::temp_dir().join(format!("lk-secure-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("secrets.json");
        FileSecureStore::new(path.clone()).set("refresh_token", "abc");
        let again = FileSecureStore::new(path.clone());
        assert_eq!(again.get("refresh_token").as_deref(), Some("abc"));
        again.delete("refresh_token");
        assert_eq!(FileSecureStore::new(path).get("refresh_token"), None);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
