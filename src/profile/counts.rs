//! A count per key for the handful of keys a stack or group has (domains, lifecycles,
//! scaling classes). Profiles are kept for the whole run, several maps per stack and per
//! group: a `BTreeMap`'s first node costs 128 bytes or more for two entries, a vector of
//! pairs costs what it holds.

/// Counts sorted by key; iterates like the `BTreeMap` it replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts<K>(Vec<(K, usize)>);

impl<K> Default for Counts<K> {
    fn default() -> Self {
        Counts(Vec::new())
    }
}

impl<K: Ord + Copy> Counts<K> {
    /// One more of `key`.
    pub fn add(&mut self, key: K) {
        match self.0.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) => self.0[i].1 += 1,
            Err(i) => self.0.insert(i, (key, 1)),
        }
    }

    /// Keys in order, with their counts.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &usize)> + '_ {
        self.into_iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The same counts in an allocation of their size, for keeping.
    pub fn exact(self) -> Self {
        Counts(crate::syntax::exact(self.0))
    }
}

type Pair<'a, K> = (&'a K, &'a usize);

impl<'a, K> IntoIterator for &'a Counts<K> {
    type Item = Pair<'a, K>;
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, (K, usize)>, fn(&'a (K, usize)) -> Pair<'a, K>>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, n)| (k, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn counts_iterate_as_the_btreemap_they_replace() {
        let keys = [5u8, 1, 3, 5, 5, 1, 9, 0, 3];
        let mut c = Counts::default();
        let mut m = BTreeMap::new();
        for k in keys {
            c.add(k);
            *m.entry(k).or_insert(0usize) += 1;
        }
        let c = c.exact();
        assert_eq!(c.iter().collect::<Vec<_>>(), m.iter().collect::<Vec<_>>());
        assert_eq!(c.len(), 5);
        assert!(Counts::<u8>::default().is_empty());
    }
}
