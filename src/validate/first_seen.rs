//! Where a key (an `external_id`) was first seen, for duplicate detection.
//!
//! A small open-addressing hash table rather than `BTreeMap`/`HashMap`: both
//! cost kilobytes of wasm (the B-tree one copy per key type); this is a few
//! hundred bytes and stays O(1) per lookup for 10 000-lead batches. Keys are hashed with FNV-1a (no DoS concern: the input is the
//! caller's own data, in the caller's own process).

use std::borrow::Cow;

pub(crate) struct FirstSeen<'k> {
    /// Keys in insertion order (borrowed where the caller can lend them),
    /// with their hash and the value recorded for each.
    entries: Vec<(Cow<'k, str>, u32, usize)>,
    /// Open-addressing slots: 0 is empty, `i + 1` points at `entries[i]`.
    slots: Vec<u32>,
}

impl<'k> FirstSeen<'k> {
    pub(crate) fn new() -> FirstSeen<'k> {
        FirstSeen { entries: Vec::new(), slots: Vec::new() }
    }

    /// The value recorded for `key`, or `None` after recording `value` for it.
    #[cfg_attr(agoralia_speed, optimize(speed))]
    pub(crate) fn first_or_insert(&mut self, key: impl Into<Cow<'k, str>>, value: usize) -> Option<usize> {
        let key = key.into();
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let hash = hash(&key);
        let slot = self.find(&key, hash);
        match self.slots[slot] {
            0 => {
                self.entries.push((key, hash, value));
                self.slots[slot] = self.entries.len() as u32;
                None
            }
            i => Some(self.entries[i as usize - 1].2),
        }
    }

    /// The slot holding `key`, or the empty slot where it belongs. Hashes
    /// are compared first: ids of one length ("crm-000123") would otherwise
    /// be compared byte by byte at every collision.
    #[cfg_attr(agoralia_speed, optimize(speed))]
    fn find(&self, key: &str, hash: u32) -> usize {
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            match self.slots[slot] {
                0 => return slot,
                i => {
                    let (k, h, _) = &self.entries[i as usize - 1];
                    if *h == hash && **k == *key {
                        return slot;
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    fn grow(&mut self) {
        self.slots = vec![0; (self.slots.len() * 2).max(16)];
        let mask = self.slots.len() - 1;
        // Keys are distinct here: each goes to the first empty slot.
        for (i, (_, h, _)) in self.entries.iter().enumerate() {
            let mut slot = *h as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = i as u32 + 1;
        }
    }
}

/// FNV-1a over 4-byte words (then the tail bytes): a fraction of the
/// per-byte loop's work for ids like "crm-000123".
#[cfg_attr(agoralia_speed, optimize(speed))]
fn hash(key: &str) -> u32 {
    let b = key.as_bytes();
    let mut h: u32 = 0x811c_9dc5;
    let mut i = 0;
    while let Some(w) = b.get(i..i + 4) {
        h = (h ^ u32::from_le_bytes([w[0], w[1], w[2], w[3]])).wrapping_mul(0x0100_0193);
        i += 4;
    }
    while let Some(&x) = b.get(i) {
        h = (h ^ x as u32).wrapping_mul(0x0100_0193);
        i += 1;
    }
    // Fold the high bits in: the table is indexed by the low ones.
    h ^ (h >> 16)
}

#[cfg(test)]
mod tests {
    use super::FirstSeen;

    #[test]
    fn records_the_first_value_only() {
        let mut s = FirstSeen::new();
        for i in 0..10_000 {
            assert_eq!(s.first_or_insert(format!("id-{i}"), i), None);
        }
        for i in 0..10_000 {
            assert_eq!(s.first_or_insert(format!("id-{i}"), i + 1), Some(i));
        }
        assert_eq!(s.first_or_insert("", 7), None);
        assert_eq!(s.first_or_insert("", 8), Some(7));
    }
}
