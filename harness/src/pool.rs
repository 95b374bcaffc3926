//! The worker pool of cosim's matrices (`cosim report`, `cosim nightly`, `cosim
//! mutants`): `jobs` threads take the items in order, the results come back in the
//! items' order whatever finished first, and after SIGINT/SIGTERM an item not yet
//! started is not run but handed to `not_started` with the signal, so that it is
//! still entered (as interrupted) in what the matrix writes.

use std::collections::VecDeque;
use std::sync::Mutex;

/// `work(index, item)` for every item, `jobs` at a time.
pub fn map<T: Send, R: Send>(
    jobs: usize,
    items: Vec<T>,
    work: impl Fn(usize, T) -> R + Sync,
    not_started: impl Fn(usize, T, i32) -> R + Sync,
) -> Vec<R> {
    map_with(jobs, items, || (), |(), i, item| work(i, item), not_started)
}

/// [`map`] where each worker thread first makes its own state with `worker` (a
/// progress line, say), hands it to every `work` call it makes, and drops it when
/// the queue is empty.
pub fn map_with<T: Send, R: Send, S>(
    jobs: usize,
    items: Vec<T>,
    worker: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize, T) -> R + Sync,
    not_started: impl Fn(usize, T, i32) -> R + Sync,
) -> Vec<R> {
    let n = items.len();
    let queue = Mutex::new(items.into_iter().enumerate().collect::<VecDeque<_>>());
    let results = Mutex::new((0..n).map(|_| None).collect::<Vec<Option<R>>>());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, n.max(1)) {
            scope.spawn(|| {
                let mut state = worker();
                loop {
                    let next = queue.lock().expect("queue").pop_front();
                    let Some((i, item)) = next else { break };
                    let result = match crate::signals::received() {
                        Some(signal) => not_started(i, item, signal),
                        None => work(&mut state, i, item),
                    };
                    results.lock().expect("results")[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("results")
        .into_iter()
        .map(|r| r.expect("every item has a result"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn results_keep_the_items_order_and_every_worker_has_its_state() {
        let workers = Mutex::new(0);
        let out = map_with(
            3,
            (0..20u64).collect(),
            || *workers.lock().unwrap() += 1,
            |(), i, item| {
                // Later items finish first.
                std::thread::sleep(Duration::from_millis(20 - item));
                (i, item * 2)
            },
            |_, _, _| unreachable!("no signal in this test"),
        );
        assert_eq!(
            out,
            (0..20).map(|i| (i as usize, i * 2)).collect::<Vec<_>>()
        );
        assert_eq!(*workers.lock().unwrap(), 3);
        assert!(map(4, Vec::<u8>::new(), |_, x| x, |_, x, _| x).is_empty());
    }
}
