//! Duplicate `external_id`s in a stream, in memory that does not grow with
//! the file's text: each id is kept as a 64-bit hash beside the row where it
//! was first seen (12 bytes a slot), up to a bound of ids.
//!
//! Why not [`crate::validate::FirstSeen`]: it keeps every id's text, which
//! for a 1 GB file of 20 million leads is more memory than the import may
//! take. The price is a false "duplicate" once in about 2^64 / n² pairs
//! (n = 3 million: once in 2 million files), which lands the row in the
//! rejects file with the row it was taken for, for a person to check.

use std::borrow::Cow;

use super::rows::SeenIds;
use crate::validate::{Issue, Report};

/// Ids tracked before the check stops (one warning then): 48 MB of slots.
pub const MAX_TRACKED_IDS: usize = 3_000_000;

pub(crate) struct SeenHashes {
    /// Open addressing on the hash; 0 marks an empty slot (a hash of 0 is stored as 1).
    hashes: Vec<u64>,
    rows: Vec<u32>,
    len: usize,
    limit: usize,
    warned: bool,
}

impl SeenHashes {
    pub(crate) fn new(limit: usize) -> SeenHashes {
        SeenHashes { hashes: Vec::new(), rows: Vec::new(), len: 0, limit, warned: false }
    }

    fn grow(&mut self) {
        let size = (self.hashes.len() * 2).max(1024);
        let (old_h, old_r) = (std::mem::replace(&mut self.hashes, vec![0; size]), std::mem::replace(&mut self.rows, vec![0; size]));
        for (h, r) in old_h.into_iter().zip(old_r).filter(|(h, _)| *h != 0) {
            let slot = self.slot(h);
            self.hashes[slot] = h;
            self.rows[slot] = r;
        }
    }

    /// The slot holding `h`, or the empty one where it belongs.
    fn slot(&self, h: u64) -> usize {
        let mask = self.hashes.len() - 1;
        let mut i = (h ^ (h >> 29)) as usize & mask;
        while self.hashes[i] != 0 && self.hashes[i] != h {
            i = (i + 1) & mask;
        }
        i
    }
}

impl<'a> SeenIds<'a> for SeenHashes {
    fn first_or_insert(&mut self, id: &Cow<'a, str>, row: usize, report: &mut Report) -> Option<usize> {
        if self.len >= self.limit {
            if !self.warned {
                self.warned = true;
                report.push(Issue::warning(
                    Vec::new(),
                    "duplicates_not_checked",
                    format!("duplicate external_ids are checked in the first {} leads only; a later repeat updates the earlier lead", self.limit),
                ));
            }
            return None;
        }
        // Load at most 3/4: probes stay short.
        if (self.len + 1) * 4 > self.hashes.len() * 3 {
            self.grow();
        }
        let h = fnv1a64(id.as_bytes()).max(1);
        let slot = self.slot(h);
        if self.hashes[slot] == h {
            return Some(self.rows[slot] as usize);
        }
        self.hashes[slot] = h;
        self.rows[slot] = u32::try_from(row).unwrap_or(u32::MAX);
        self.len += 1;
        None
    }
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    // FNV's low bits mix poorly for ids that differ in their last character;
    // a final avalanche (from splitmix64) spreads them.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_repeats_and_stops_at_the_limit() {
        let mut s = SeenHashes::new(50_000);
        let mut r = Report::new();
        for i in 0..50_000 {
            assert_eq!(s.first_or_insert(&Cow::Owned(format!("crm-{i:06}")), i + 2, &mut r), None);
        }
        for i in 0..50_000 {
            assert_eq!(s.first_or_insert(&Cow::Owned(format!("crm-{i:06}")), 0, &mut r), None, "past the limit nothing is checked");
        }
        assert_eq!(r.issues.iter().map(|i| i.code).collect::<Vec<_>>(), vec!["duplicates_not_checked"]);
        let mut s = SeenHashes::new(10);
        assert_eq!(s.first_or_insert(&Cow::Borrowed("a"), 2, &mut r), None);
        assert_eq!(s.first_or_insert(&Cow::Borrowed("a"), 3, &mut r), Some(2));
    }
}
