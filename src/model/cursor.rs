//! Reading ASCII text a byte at a time, for the hand-written parsers.

/// A byte cursor over ASCII text; every read checks its bounds, so no input can panic it.
pub(crate) struct Cursor<'a>(pub(crate) &'a [u8]);

impl Cursor<'_> {
    pub(crate) fn next(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.0.first().copied()
    }

    pub(crate) fn expect(&mut self, byte: u8) -> Option<()> {
        self.expect_any(&[byte])
    }

    pub(crate) fn expect_any(&mut self, bytes: &[u8]) -> Option<()> {
        match self.peek() {
            Some(b) if bytes.contains(&b) => {
                self.0 = &self.0[1..];
                Some(())
            }
            _ => None,
        }
    }

    /// Exactly `count` ASCII digits, as a number.
    pub(crate) fn digits(&mut self, count: usize) -> Option<u32> {
        let taken = self.0.get(..count)?;
        if !taken.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.0 = &self.0[count..];
        Some(taken.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    }

    /// One or more digits (at most `max`), as a number and how many digits there were; `None`
    /// when there are none or more than `max`.
    pub(crate) fn number(&mut self, max: usize) -> Option<(u64, usize)> {
        let count = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 || count > max {
            return None;
        }
        let value = self.0[..count]
            .iter()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
        self.0 = &self.0[count..];
        Some((value, count))
    }

    /// The digits of a fraction: its value over the first nine digits and how many digits
    /// there were (all of them consumed).
    pub(crate) fn fraction(&mut self) -> (u32, u32) {
        let count = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        let value = self.0[..count.min(9)]
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        self.0 = &self.0[count..];
        (value, u32::try_from(count).unwrap_or(u32::MAX))
    }
}
