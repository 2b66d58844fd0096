//! Long-lived state the screens watch: a listener gets the current value at once, then every
//! update, until its [`Subscription`] is cancelled or dropped.

use std::sync::Arc;

use tokio::sync::watch;

/// A value that changes over time.
pub struct Observable<T> {
    sender: watch::Sender<T>,
}

impl<T: Clone + Send + Sync + 'static> Observable<T> {
    pub fn new(value: T) -> Observable<T> {
        Observable { sender: watch::Sender::new(value) }
    }

    pub fn get(&self) -> T {
        self.sender.borrow().clone()
    }

    /// Answers from the current value without copying it (keep `look` short: updates wait).
    pub fn with<R>(&self, look: impl FnOnce(&T) -> R) -> R {
        look(&self.sender.borrow())
    }

    pub fn set(&self, value: T) {
        self.sender.send_replace(value);
    }

    /// Changes the value in place and tells the listeners.
    pub fn modify(&self, change: impl FnOnce(&mut T)) {
        self.sender.send_modify(change);
    }

    /// Sets the value, telling the listeners only if it changed.
    pub fn update(&self, value: T)
    where
        T: PartialEq,
    {
        self.sender.send_if_modified(|current| {
            let changed = *current != value;
            if changed {
                *current = value;
            }
            changed
        });
    }

    /// Calls `listener` with the current value, then with each new one, on the runtime.
    pub fn subscribe(
        &self,
        runtime: &tokio::runtime::Handle,
        listener: Arc<dyn Fn(T) + Send + Sync>,
    ) -> Subscription {
        let mut receiver = self.sender.subscribe();
        let task = runtime.spawn(async move {
            let first = receiver.borrow_and_update().clone();
            listener(first);
            while receiver.changed().await.is_ok() {
                let value = receiver.borrow_and_update().clone();
                listener(value);
            }
        });
        Subscription { task: Some(task) }
    }
}

/// Stops its listener when cancelled or dropped.
pub struct Subscription {
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Subscription {
    pub fn cancel(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// Stops a long call from outside (the person leaves the screen). Swift task cancellation and
/// Kotlin coroutine cancellation do not reach Rust, so the apps hold one of these and cancel it.
#[derive(Clone, Default)]
pub struct Cancel {
    cancelled: Arc<std::sync::atomic::AtomicBool>,
    wake: Arc<tokio::sync::Notify>,
}

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_waiters();
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Sleeps for `duration` unless cancelled first; answers whether it was cancelled.
    pub async fn sleep(&self, duration: std::time::Duration) -> bool {
        let woken = self.wake.notified();
        if self.is_cancelled() {
            return true;
        }
        tokio::select! {
            () = woken => true,
            () = tokio::time::sleep(duration) => self.is_cancelled(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[tokio::test]
    async fn a_listener_gets_the_current_value_first_then_updates_until_cancelled() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let observable = Observable::new(1);
        let record = seen.clone();
        let mut subscription = observable.subscribe(
            &tokio::runtime::Handle::current(),
            Arc::new(move |v| record.lock().unwrap().push(v)),
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        observable.set(2);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        subscription.cancel();
        observable.set(3);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert_eq!(*seen.lock().unwrap(), [1, 2]);
        assert_eq!(observable.get(), 3);
    }

    #[tokio::test]
    async fn cancel_wakes_a_sleeping_call_at_once() {
        let cancel = Cancel::new();
        let other = cancel.clone();
        let started = std::time::Instant::now();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            other.cancel();
        });
        assert!(cancel.sleep(std::time::Duration::from_secs(30)).await);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(cancel.sleep(std::time::Duration::from_secs(30)).await, "stays cancelled");
    }
}
