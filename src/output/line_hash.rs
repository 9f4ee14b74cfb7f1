//! `primaryLocationLineHash`, computed the way GitHub's `upload-sarif` action does
//! (github/codeql-action, `src/fingerprints.ts`, function `hash`), so that an upload
//! through the REST API (which computes nothing) and an upload through the action (which
//! keeps a supplied value but warns when it differs from its own) match alert for alert.
//!
//! The algorithm, restated from that source:
//!
//! - The file is read as UTF-8 (Node's decoder: an invalid sequence becomes U+FFFD, as
//!   with `String::from_utf8_lossy`) and processed one UTF-16 code unit at a time
//!   (JavaScript's `charCodeAt`), followed by one end-of-file unit `0xFFFF`.
//! - Spaces and tabs are skipped, and so is a `\n` directly after a `\r`; a `\r` counts as
//!   `\n`. Every other unit enters a window of the last 100 units.
//! - The first unit that enters after a line break (or at the start) starts a new line
//!   (numbered from 1; a lone `\r` is a line break too).
//! - The hash is a polynomial rolling hash over the window, base 37, in wrapping 64-bit
//!   arithmetic: `h = 37*h + unit - 37^100 * unit_leaving`.
//! - A line's hash is the value once the 100 units starting with its first unit are in
//!   the window (units past the end count as 0), printed as unsigned lowercase hex
//!   without leading zeros, then `:` and how many lines of the file so far (this one
//!   included) had the same hash.
//!
//! The vectors in the tests below are those of codeql-action's own `fingerprints.test.ts`.

use foldhash::{HashMap, HashMapExt};
use std::collections::{BTreeMap, BTreeSet};

const BLOCK_SIZE: usize = 100;
const MOD: u64 = 37;
const TAB: u32 = '\t' as u32;
const SPACE: u32 = ' ' as u32;
const LF: u32 = '\n' as u32;
const CR: u32 = '\r' as u32;
const EOF: u32 = 0xFFFF;

struct Hasher<'a> {
    window: [u32; BLOCK_SIZE],
    /// The line number starting at each window slot (0: none).
    line_at: [u32; BLOCK_SIZE],
    hash: u64,
    first_mod: u64,
    index: usize,
    line: u32,
    line_start: bool,
    prev_cr: bool,
    counts: HashMap<u64, u32>,
    wanted: &'a BTreeSet<u32>,
    out: BTreeMap<u32, String>,
}

impl Hasher<'_> {
    fn emit(&mut self) {
        let count = self.counts.entry(self.hash).or_insert(0);
        *count += 1;
        let line = self.line_at[self.index];
        if self.wanted.contains(&line) {
            self.out.insert(line, format!("{:x}:{count}", self.hash));
        }
        self.line_at[self.index] = 0;
    }

    fn update(&mut self, unit: u32) {
        let leaving = self.window[self.index];
        self.window[self.index] = unit;
        self.hash = MOD
            .wrapping_mul(self.hash)
            .wrapping_add(u64::from(unit))
            .wrapping_sub(self.first_mod.wrapping_mul(u64::from(leaving)));
        self.index = (self.index + 1) % BLOCK_SIZE;
    }

    fn process(&mut self, unit: u32) {
        if unit == SPACE || unit == TAB || (self.prev_cr && unit == LF) {
            self.prev_cr = false;
            return;
        }
        let unit = if unit == CR {
            self.prev_cr = true;
            LF
        } else {
            self.prev_cr = false;
            unit
        };
        if self.line_at[self.index] != 0 {
            self.emit();
        }
        if self.line_start {
            self.line_start = false;
            self.line += 1;
            self.line_at[self.index] = self.line;
        }
        if unit == LF {
            self.line_start = true;
        }
        self.update(unit);
    }
}

/// The `primaryLocationLineHash` of each wanted 1-based line of `text` (lines past the
/// end are left out, as upload-sarif leaves them unset).
pub fn line_hashes(text: &str, wanted: &BTreeSet<u32>) -> BTreeMap<u32, String> {
    let mut h = Hasher {
        window: [0; BLOCK_SIZE],
        line_at: [0; BLOCK_SIZE],
        hash: 0,
        first_mod: (0..BLOCK_SIZE).fold(1u64, |m, _| m.wrapping_mul(MOD)),
        index: 0,
        line: 0,
        line_start: true,
        prev_cr: false,
        counts: HashMap::new(),
        wanted,
        out: BTreeMap::new(),
    };
    for unit in text.encode_utf16() {
        h.process(u32::from(unit));
    }
    h.process(EOF);
    for _ in 0..BLOCK_SIZE {
        if h.line_at[h.index] != 0 {
            h.emit();
        }
        h.update(0);
    }
    h.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let wanted: BTreeSet<u32> = (1..=10_000).collect();
        line_hashes(text, &wanted).into_values().collect()
    }

    #[test]
    fn matches_codeql_action_vectors() {
        assert_eq!(all(""), ["c129715d7a2bc9a3:1"]);
        assert_eq!(
            all(" a\nb\n  \t\tc\n d"),
            [
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1"
            ]
        );
        assert_eq!(
            all(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End"),
            [
                "8b7cf3e952e7aeb2:1",
                "b1ae1287ec4718d9:1",
                "bff680108adb0fcc:1",
                "c6805c5e1288b612:1",
                "b86d3392aea1be30:1",
                "e6ceba753e1a442:1",
            ]
        );
        let with_final_newline = [
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ];
        for text in [
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
            " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
            " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
        ] {
            assert_eq!(all(text), with_final_newline, "{text:?}");
        }
        assert_eq!(
            all(&"Lorem ipsum dolor sit amet.\n".repeat(10)),
            [
                "a7f2ff13bc495cf2:1",
                "a7f2ff13bc495cf2:2",
                "a7f2ff13bc495cf2:3",
                "a7f2ff13bc495cf2:4",
                "a7f2ff13bc495cf2:5",
                "a7f2ff13bc495cf2:6",
                "a7f2ff1481e87703:1",
                "a9cf91f7bbf1862b:1",
                "55ec222b86bcae53:1",
                "cc97dc7b1d7d8f7b:1",
                "c129715d7a2bc9a3:1",
            ]
        );
        assert_eq!(
            all("x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n"),
            [
                "e54938cc54b302f1:1",
                "bb609acbe9138d60:1",
                "1131fd5871777f34:1",
                "5c482a0f8b35ea28:1",
                "54517377da7028d2:1",
                "2c644846cb18d53e:1",
                "f1b89f20de0d133:1",
                "c129715d7a2bc9a3:1",
            ]
        );
    }

    #[test]
    fn only_wanted_lines_are_returned_but_counts_span_the_file() {
        let text = "Lorem ipsum dolor sit amet.\n".repeat(10);
        let wanted: BTreeSet<u32> = [3, 99].into_iter().collect();
        let got = line_hashes(&text, &wanted);
        assert_eq!(got.len(), 1);
        assert_eq!(got[&3], "a7f2ff13bc495cf2:3");
    }

    #[test]
    fn bom_non_ascii_astral_and_mixed_line_endings() {
        // Values printed by codeql-action's `hash` (lib/fingerprints.js, run under Node 20
        // with `long` 5) on this file: the BOM and each UTF-16 unit count, a lone `\r`
        // ends a line.
        let text =
            "\u{FEFF}resource \"a\" \"b\" {\n  name = \"caf\u{e9} \u{1F600} x\"\n}\r\nlone\rcr\n";
        assert_eq!(
            all(text),
            [
                "efd126facab355bc:1",
                "13c95996dbddad55:1",
                "378a9f85022438f5:1",
                "c61a366d083b7f42:1",
                "98c30977efe2d08a:1",
                "c129715d7a2bc9a3:1",
            ]
        );
    }

    #[test]
    fn invalid_utf8_is_hashed_as_node_decodes_it() {
        // Values printed by codeql-action's `hash` under Node 20 for these bytes: stray
        // continuation and lead bytes, a truncated sequence, an encoded surrogate, an
        // overlong form and a NUL.
        let bytes = b"a\xff\xc3\nb\xe2\x82\r\nc\xed\xa0\x80 \xf0\x9f\x98\n\x00d\xc0\xafe\n";
        assert_eq!(
            all(&String::from_utf8_lossy(bytes)),
            [
                "c5ccc93279819937:1",
                "a616af4dec297bca:1",
                "270eeb3495ed2905:1",
                "719cc7ec56211038:1",
                "c129715d7a2bc9a3:1",
            ]
        );
    }
}
