//! Ctrl-C and `kill`: on SIGINT or SIGTERM, remove the staging files this process has in
//! flight (through the store's API, after any version switch in progress has finished), then
//! exit 130 or 143 as a shell would report the signal. docs/store.md promises this.

/// Start the watcher thread. Without it, a signal kills the process at once and its staging
/// files wait for the six-hour sweep.
pub(super) fn clean_up_on_signal() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                toolget::store::remove_in_flight();
                std::process::exit(128 + signal);
            }
        });
    }
}
