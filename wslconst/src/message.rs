//! Messages built in `const` context, for the `panic!`s that fail a build.

use crate::guid::{Guid, GuidStyle};

/// A message built in `const` context, for `panic!`.
pub(crate) struct Message {
    buf: [u8; 1024],
    len: usize,
}

impl Message {
    pub(crate) const fn new() -> Message {
        Message {
            buf: [0; 1024],
            len: 0,
        }
    }

    pub(crate) const fn text(mut self, s: &str) -> Message {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < self.buf.len() {
            self.buf[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
        // Never leave half a character behind if the message was cut short.
        while self.len > 0 && i < bytes.len() && self.buf[self.len - 1] & 0xc0 == 0x80 {
            self.len -= 1;
        }
        if self.len > 0 && i < bytes.len() && self.buf[self.len - 1] >= 0xc0 {
            self.len -= 1;
        }
        self
    }

    pub(crate) const fn guid(self, g: &Guid) -> Message {
        let text = g.format(GuidStyle::WSL);
        self.text(text.as_str())
    }

    pub(crate) const fn number(mut self, mut n: u32) -> Message {
        let mut digits = [0u8; 10];
        let mut count = 0;
        loop {
            digits[count] = b'0' + (n % 10) as u8;
            count += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        while count > 0 && self.len < self.buf.len() {
            count -= 1;
            self.buf[self.len] = digits[count];
            self.len += 1;
        }
        self
    }

    pub(crate) const fn as_str(&self) -> &str {
        match core::str::from_utf8(self.buf.split_at(self.len).0) {
            Ok(s) => s,
            Err(_) => "(message is not UTF-8)",
        }
    }
}
