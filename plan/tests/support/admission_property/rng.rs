//! The seeded PRNG every case draws from.

/// splitmix64: tiny, seedable, good enough to pick edits.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next_u64() % u64::from(hi - lo + 1)) as u32
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index chosen by weight.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut at = self.range(0, total - 1);
        for (i, w) in weights.iter().enumerate() {
            if at < *w {
                return i;
            }
            at -= w;
        }
        weights.len() - 1
    }

    /// An id for a new action or objective, as a v4 UUID.
    pub fn id(&mut self) -> String {
        let bytes = (u128::from(self.next_u64()) << 64 | u128::from(self.next_u64())).to_le_bytes();
        uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
    }

    /// A short string with ASCII, accents, CJK and astral characters (two
    /// UTF-16 units each: text offsets in the plan count UTF-16 units).
    pub fn text(&mut self, min: usize, max: usize) -> String {
        const PIECES: [&str; 14] = ["a", "b", "z", " ", "Q", "7", "é", "ß", "中", "😀", "🚓", "\n", "-", "Ω"];
        let len = min + self.below(max - min + 1);
        (0..len).map(|_| *self.pick(&PIECES)).collect()
    }
}

/// The seed of case `i` of a run seeded `master`: case 0 is `master`
/// itself, so a failing case replays with `PILLARS_PROPERTY_CASES=1`.
pub fn case_seed(master: u64, i: u64) -> u64 {
    master.wrapping_add(i.wrapping_mul(0xd1b5_4a32_d192_ed03))
}
