//! Duplicate `external_id`s in a stream, in memory that does not grow with
//! the file's text: each id is kept as a 64-bit hash beside the row where it
//! was first seen, up to a bound of ids.
//!
//! Why not [`crate::validate::FirstSeen`]: it keeps every id's text, which
//! for a 1 GB file of 20 million leads is more memory than the import may
//! take. The price is a false "duplicate" once in about 2^64 / n² pairs
//! (n = 3 million: once in 2 million files), which lands the row in the
//! rejects file with the row it was taken for, for a person to check.
//!
//! Why segments (extendible hashing) rather than one table that doubles: the
//! wasm heap reuses a freed block only for a block of the same size class, so
//! a doubling table leaves every smaller table it outgrew behind, as much
//! again as the table itself. Segments are all one size: a full one splits
//! in two, and the block it frees is taken by the next split.

use std::borrow::Cow;

use super::rows::SeenIds;
use crate::validate::{Issue, Report};

/// Ids tracked before the check stops (one warning then): about 55 MB of segments.
pub const MAX_TRACKED_IDS: usize = 3_000_000;

/// Slots in a segment: 2^15 (384 KB of hashes and rows).
const SEGMENT_BITS: u32 = 15;
const SEGMENT_SLOTS: usize = 1 << SEGMENT_BITS;
/// A segment splits past 7/8 full: probes stay short, as the slot's home
/// uses the hash's low bits and the directory its high bits.
const SEGMENT_MAX: usize = SEGMENT_SLOTS / 8 * 7;
/// The directory's most high bits (2^16 entries). Uniform hashes need about
/// 8 for the limit; only ids crafted to share their hashes' high bits reach
/// it, and then the check stops as it does at the limit.
const MAX_DEPTH: u32 = 16;

struct Segment {
    /// Open addressing on the hash; 0 marks an empty slot (a hash of 0 is stored as 1).
    hashes: Box<[u64]>,
    rows: Box<[u32]>,
    len: usize,
    /// How many of the hash's high bits all its ids share.
    depth: u32,
}

impl Segment {
    fn new(depth: u32) -> Segment {
        Segment { hashes: vec![0; SEGMENT_SLOTS].into_boxed_slice(), rows: vec![0; SEGMENT_SLOTS].into_boxed_slice(), len: 0, depth }
    }

    /// The slot holding `h`, or the empty one where it belongs (a segment is never full).
    fn slot(&self, h: u64) -> usize {
        let mut i = h as usize & (SEGMENT_SLOTS - 1);
        while self.hashes[i] != 0 && self.hashes[i] != h {
            i = (i + 1) & (SEGMENT_SLOTS - 1);
        }
        i
    }

    fn put(&mut self, h: u64, row: u32) {
        let i = self.slot(h);
        self.hashes[i] = h;
        self.rows[i] = row;
        self.len += 1;
    }
}

pub(crate) struct SeenHashes {
    /// Segment of each value of the hash's top `depth` bits.
    directory: Vec<usize>,
    depth: u32,
    segments: Vec<Segment>,
    len: usize,
    limit: usize,
    warned: bool,
}

impl SeenHashes {
    pub(crate) fn new(limit: usize) -> SeenHashes {
        SeenHashes { directory: vec![0], depth: 0, segments: Vec::new(), len: 0, limit, warned: false }
    }

    fn entry(&self, h: u64) -> usize {
        if self.depth == 0 { 0 } else { (h >> (64 - self.depth)) as usize }
    }

    /// Past the limit: nothing is checked, and one warning says so.
    fn stopped(&mut self, report: &mut Report) -> Option<usize> {
        if !self.warned {
            self.warned = true;
            report.push(Issue::warning(
                Vec::new(),
                "duplicates_not_checked",
                format!("duplicate external_ids are checked in the first {} leads only; a later repeat updates the earlier lead", self.limit),
            ));
        }
        None
    }

    /// Splits segment `s` by the next high bit of its hashes.
    fn split(&mut self, s: usize) {
        let depth = self.segments[s].depth;
        if depth == self.depth {
            self.directory = self.directory.iter().flat_map(|&d| [d, d]).collect();
            self.depth += 1;
        }
        let old = std::mem::replace(&mut self.segments[s], Segment::new(depth + 1));
        let high = self.segments.len();
        let mut upper = Segment::new(depth + 1);
        for (&h, &row) in old.hashes.iter().zip(old.rows.iter()).filter(|(h, _)| **h != 0) {
            if (h >> (63 - depth)) & 1 == 1 { upper.put(h, row) } else { self.segments[s].put(h, row) }
        }
        drop(old);
        self.segments.push(upper);
        // Of the entries that pointed at `s`, those whose next bit is 1 now point at the new one.
        let shift = self.depth - depth - 1;
        for (i, d) in self.directory.iter_mut().enumerate() {
            if *d == s && (i >> shift) & 1 == 1 {
                *d = high;
            }
        }
    }
}

impl<'a> SeenIds<'a> for SeenHashes {
    fn first_or_insert(&mut self, id: &Cow<'a, str>, row: usize, report: &mut Report) -> Option<usize> {
        if self.len >= self.limit {
            return self.stopped(report);
        }
        let h = fnv1a64(id.as_bytes()).max(1);
        if self.segments.is_empty() {
            self.segments.push(Segment::new(0));
        }
        let mut s = self.directory[self.entry(h)];
        let slot = self.segments[s].slot(h);
        if self.segments[s].hashes[slot] == h {
            return Some(self.segments[s].rows[slot] as usize);
        }
        while self.segments[s].len >= SEGMENT_MAX {
            if self.segments[s].depth == MAX_DEPTH {
                self.limit = self.len;
                return self.stopped(report);
            }
            self.split(s);
            s = self.directory[self.entry(h)];
        }
        self.segments[s].put(h, u32::try_from(row).unwrap_or(u32::MAX));
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

    #[test]
    fn every_id_keeps_its_row_across_splits() {
        let n = 300_000;
        let mut s = SeenHashes::new(2 * n);
        let mut r = Report::new();
        for i in 0..n {
            assert_eq!(s.first_or_insert(&Cow::Owned(format!("lead-{i}")), i + 2, &mut r), None, "lead-{i}");
        }
        assert!(s.segments.len() > 8 && s.depth <= MAX_DEPTH, "{} segments, depth {}", s.segments.len(), s.depth);
        for i in (0..n).step_by(7) {
            assert_eq!(s.first_or_insert(&Cow::Owned(format!("lead-{i}")), 0, &mut r), Some(i + 2), "lead-{i}");
        }
        assert!(r.issues.is_empty());
        // Memory: all segments one size, most of them well filled.
        let slots = s.segments.len() * SEGMENT_SLOTS;
        assert!(n * 2 > slots, "{n} ids in {slots} slots");
    }
}
