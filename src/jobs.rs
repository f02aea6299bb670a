//! Running independent work concurrently with results handed back in input order: installs
//! of several tools, `toolget lock`'s resolution of each tool, `toolget fetch`'s downloads.
//!
//! Plain scoped threads pulling from a shared queue — the HTTP client is blocking, and the work
//! is network-bound (waiting on GitHub or a mirror), so a handful of threads is all it takes.
//! One item's failure is just its result: the others go on. Knows nothing about what the work
//! is; prints nothing.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::mpsc;

/// Default number of concurrent jobs (`--jobs`): enough to hide API and download latency,
/// few enough to stay polite to GitHub and a mirror.
pub const DEFAULT_JOBS: u16 = 4;

/// Run `work` on every item with at most `jobs` running at once, and call `done(index, result)`
/// on the calling thread in input order, each as soon as it and every earlier result are
/// ready (so output stays stable while later items still run).
pub fn run_ordered<T, R>(
    items: Vec<T>,
    jobs: usize,
    work: impl Fn(usize, T) -> R + Sync,
    mut done: impl FnMut(usize, R),
) where
    T: Send,
    R: Send,
{
    let total = items.len();
    let workers = jobs.max(1).min(total);
    if workers <= 1 {
        for (i, item) in items.into_iter().enumerate() {
            let result = work(i, item);
            done(i, result);
        }
        return;
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (queue, work) = (&queue, &work);
            scope.spawn(move || {
                loop {
                    let next = match queue.lock() {
                        Ok(mut q) => q.next(),
                        Err(poisoned) => poisoned.into_inner().next(),
                    };
                    let Some((i, item)) = next else { break };
                    if tx.send((i, work(i, item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut ready = BTreeMap::new();
        let mut next = 0;
        for (i, result) in rx {
            ready.insert(i, result);
            while let Some(result) = ready.remove(&next) {
                done(next, result);
                next += 1;
            }
        }
        debug_assert_eq!(next, total);
    });
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn results_come_back_in_input_order_while_work_overlaps() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // Item 0 is slowest: later items finish first but are handed back after it.
        let items: Vec<u64> = vec![60, 10, 30, 0, 20];
        let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let mut seen = Vec::new();
        run_ordered(
            items,
            5,
            |i, ms| {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(ms * 3));
                running.fetch_sub(1, Ordering::SeqCst);
                i * 10
            },
            |i, r| seen.push((i, r)),
        );
        assert_eq!(seen, vec![(0, 0), (1, 10), (2, 20), (3, 30), (4, 40)]);
        assert!(most.load(Ordering::SeqCst) > 1, "nothing ran concurrently");
    }

    #[test]
    fn one_job_or_no_items_still_work() {
        let mut seen = Vec::new();
        run_ordered(vec!['a', 'b'], 1, |_, c| c, |_, c| seen.push(c));
        assert_eq!(seen, vec!['a', 'b']);
        run_ordered(Vec::<u8>::new(), 4, |_, c| c, |_, _| panic!("no items"));
    }
}
