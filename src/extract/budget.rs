//! Bounds on what an archive's *metadata* may make a parser hold in memory.
//!
//! The unpacked-bytes cap counts file data as it is written, but parsers also buffer header
//! data whole, whatever size the archive declares: the `tar` crate reads a GNU long name
//! (`L`), long link (`K`) or PAX (`x`) extension entry into one `Vec` before it returns the
//! entry it describes, and a GNU sparse entry's extension blocks into a list. A 100 KB
//! `.tar.gz` declaring a 100 MiB long name took over 500 MB of memory that way.
//!
//! So the tar reader is wrapped in a [`Metered`] reader whose allowance is *armed* only while
//! the `tar` crate is looking for the next entry (`Entries::next`), after the previous entry's
//! data has been read to its end. Everything the crate reads then is header data: padding,
//! extension headers and their contents, the entry's own header, sparse extension blocks.
//! Past [`MAX_ENTRY_HEADER_BYTES`] the reader fails, so the crate can never have buffered
//! more than that, whatever an archive declares. Names that fit the allowance but are
//! longer than [`MAX_NAME_BYTES`] are refused once the entry is returned.
//!
//! This needs no parsing of tar headers of its own (which could disagree with the crate's
//! about where the next header starts): it bounds the bytes, not the format.

use std::cell::Cell;
use std::io::{self, Read};

/// Longest entry name or link target accepted, after GNU long-name and PAX `path`/`linkpath`
/// extensions are applied: 4 KiB, `PATH_MAX` on Linux. Real releases stay far below it.
pub(crate) const MAX_NAME_BYTES: usize = 4096;

/// Most header bytes read to find one entry: its extension headers (long name, long link,
/// PAX records) with their contents, its own header block and GNU sparse extension blocks.
/// 1 MiB leaves room for generous PAX records (extended attributes) and bounds what the
/// `tar` crate may buffer at once.
pub(crate) const MAX_ENTRY_HEADER_BYTES: u64 = 1 << 20;

/// Shared between the [`Metered`] reader (owned by the `tar` crate while it runs) and the
/// extraction loop that arms it.
#[derive(Debug, Default)]
pub(crate) struct Meter {
    /// Bytes the reader may still return; `None` when disarmed (entry data is being read).
    allowance: Cell<Option<u64>>,
    /// Bytes read while armed, since the last [`Meter::arm`].
    used: Cell<u64>,
    /// Set when a read was refused for want of allowance.
    tripped: Cell<bool>,
}

impl Meter {
    /// Allow at most `limit` more bytes until [`Meter::disarm`].
    pub(crate) fn arm(&self, limit: u64) {
        self.allowance.set(Some(limit));
        self.used.set(0);
    }

    /// Stop counting; returns the bytes read while armed.
    pub(crate) fn disarm(&self) -> u64 {
        self.allowance.set(None);
        self.used.get()
    }

    /// Whether a read was refused: the error the parser reports is then this budget's.
    pub(crate) fn tripped(&self) -> bool {
        self.tripped.get()
    }

    /// Wrap `inner` so its reads count against this meter.
    pub(crate) fn wrap<R: Read>(&self, inner: R) -> Metered<'_, R> {
        Metered { inner, meter: self }
    }
}

/// A reader that, while its [`Meter`] is armed, returns at most the allowance and then fails.
#[derive(Debug)]
pub(crate) struct Metered<'m, R> {
    inner: R,
    meter: &'m Meter,
}

impl<R: Read> Read for Metered<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(left) = self.meter.allowance.get() else {
            return self.inner.read(buf);
        };
        if buf.is_empty() {
            return Ok(0);
        }
        if left == 0 {
            self.meter.tripped.set(true);
            return Err(io::Error::other("archive header data exceeds its budget"));
        }
        let max = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        let n = self.inner.read(&mut buf[..max])?;
        self.meter.allowance.set(Some(left - n as u64));
        self.meter.used.set(self.meter.used.get() + n as u64);
        Ok(n)
    }
}

/// Largest zip central directory accepted: 64 MiB, several times what the entry cap
/// (200 000 entries with ordinary names) needs. The zip crate reads it whole into memory.
pub(crate) const MAX_CENTRAL_DIR_BYTES: u64 = 64 << 20;

/// What a zip's end-of-central-directory record declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ZipDirectory {
    pub(crate) entries: u64,
    pub(crate) size: u64,
    pub(crate) offset: u64,
}

/// Why a zip's directory is refused before the zip crate reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZipExcess {
    Entries,
    Size,
    Name,
}

const EOCD: &[u8; 4] = b"PK\x05\x06";
const EOCD64_LOCATOR: &[u8; 4] = b"PK\x06\x07";
const EOCD64: &[u8; 4] = b"PK\x06\x06";
const CENTRAL_HEADER: &[u8; 4] = b"PK\x01\x02";

/// Read the end-of-central-directory record (zip64 where the classic fields overflow) and
/// check the declared directory against the caps, then walk the directory's fixed headers
/// checking each name length: all before the zip crate allocates anything for it. A
/// directory this scan cannot read is left to the zip crate to reject (or to read: a
/// self-extracting zip has data before its offsets).
pub(crate) fn check_zip_directory<R: Read + io::Seek>(
    reader: &mut R,
    max_entries: u64,
) -> io::Result<Result<(), ZipExcess>> {
    use io::SeekFrom;
    let len = reader.seek(SeekFrom::End(0))?;
    let tail_len = len.min(22 + 0xffff);
    reader.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    reader.by_ref().take(tail_len).read_to_end(&mut tail)?;
    let Some(at) = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| &tail[i..i + 4] == EOCD)
    else {
        return Ok(Ok(()));
    };
    let u16_at = |b: &[u8], i: usize| u64::from(u16::from_le_bytes([b[i], b[i + 1]]));
    let u32_at =
        |b: &[u8], i: usize| u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]));
    let u64_at = |b: &[u8], i: usize| {
        let mut x = [0u8; 8];
        x.copy_from_slice(&b[i..i + 8]);
        u64::from_le_bytes(x)
    };
    let rec = &tail[at..];
    let mut dir = ZipDirectory {
        entries: u16_at(rec, 10),
        size: u32_at(rec, 12),
        offset: u32_at(rec, 16),
    };
    // Zip64: a locator sits right before the classic record and points at the real one.
    if at >= 20 && &tail[at - 20..at - 16] == EOCD64_LOCATOR {
        let record_at = u64_at(&tail, at - 12);
        if record_at.checked_add(56).is_some_and(|end| end <= len) {
            reader.seek(SeekFrom::Start(record_at))?;
            let mut rec64 = [0u8; 56];
            reader.read_exact(&mut rec64)?;
            if &rec64[..4] == EOCD64 {
                dir = ZipDirectory {
                    entries: u64_at(&rec64, 32),
                    size: u64_at(&rec64, 40),
                    offset: u64_at(&rec64, 48),
                };
            }
        }
    }
    if dir.entries > max_entries {
        return Ok(Err(ZipExcess::Entries));
    }
    if dir.size > MAX_CENTRAL_DIR_BYTES {
        return Ok(Err(ZipExcess::Size));
    }
    if dir.offset.checked_add(dir.size).is_none_or(|end| end > len) {
        return Ok(Ok(()));
    }
    reader.seek(SeekFrom::Start(dir.offset))?;
    let mut table = io::BufReader::new(reader.by_ref().take(dir.size));
    let mut fixed = [0u8; 46];
    for _ in 0..dir.entries {
        if table.read_exact(&mut fixed).is_err() || &fixed[..4] != CENTRAL_HEADER {
            break;
        }
        let name = u16_at(&fixed, 28);
        if name > MAX_NAME_BYTES as u64 {
            return Ok(Err(ZipExcess::Name));
        }
        let skip = name + u16_at(&fixed, 30) + u16_at(&fixed, 32);
        if io::copy(&mut table.by_ref().take(skip), &mut io::sink())? != skip {
            break;
        }
    }
    Ok(Ok(()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::error::{Diagnostic, ErrorKind};

    #[test]
    fn disarmed_reads_pass_through_and_armed_reads_stop_at_the_allowance() {
        let meter = Meter::default();
        let data = [7u8; 100];
        let mut reader = meter.wrap(&data[..]);
        let mut buf = [0u8; 30];
        assert_eq!(reader.read(&mut buf).unwrap(), 30);
        meter.arm(40);
        assert_eq!(reader.read(&mut buf).unwrap(), 30);
        assert_eq!(reader.read(&mut buf).unwrap(), 10);
        assert!(!meter.tripped());
        assert!(reader.read(&mut buf).is_err());
        assert!(meter.tripped());
        assert_eq!(meter.disarm(), 40);
        assert_eq!(reader.read(&mut buf).unwrap(), 30);
    }

    fn gnu_long_name_tar(len: usize) -> Vec<u8> {
        let mut header = tar::Header::new_gnu();
        header.as_gnu_mut().unwrap().name[..13].copy_from_slice(b"././@LongLink");
        header.set_size(len as u64 + 1);
        header.set_entry_type(tar::EntryType::GNULongName);
        header.set_cksum();
        let mut out = header.as_bytes().to_vec();
        out.extend(std::iter::repeat_n(b'a', len));
        out.push(0);
        out.resize(out.len().div_ceil(512) * 512, 0);
        let mut file = tar::Header::new_gnu();
        file.set_size(0);
        file.set_entry_type(tar::EntryType::Regular);
        file.set_cksum();
        out.extend_from_slice(file.as_bytes());
        out.extend([0u8; 1024]);
        out
    }

    fn extract(bytes: &[u8]) -> Result<crate::extract::Extracted, crate::extract::ExtractError> {
        let dir = tempfile::tempdir().unwrap();
        let opts = crate::extract::ExtractOptions::new("tool");
        crate::extract::extract_stream("t.tar", bytes, &dir.path().join("out"), &opts)
    }

    #[test]
    fn names_up_to_the_limit_extract_and_longer_ones_are_archive_too_large() {
        // A path of 4095 bytes in 200-byte components (each under NAME_MAX).
        let ok = extract(&gnu_long_name_tar(MAX_NAME_BYTES)).map(|_| ());
        // The file name itself is too long for the file system, but the check comes first:
        // what matters is that the budget error is not raised below the limit.
        if let Err(e) = &ok {
            assert_ne!(e.kind(), ErrorKind::ArchiveTooLarge, "{e}");
        }
        let err = extract(&gnu_long_name_tar(MAX_NAME_BYTES + 1)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ArchiveTooLarge);
        assert!(
            err.to_string().contains("4096 bytes per entry name"),
            "{err}"
        );
        let err = extract(&gnu_long_name_tar(MAX_ENTRY_HEADER_BYTES as usize * 2)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ArchiveTooLarge);
        assert!(err.to_string().contains("header data"), "{err}");
    }

    #[test]
    fn a_pax_global_header_gets_the_same_budget() {
        let mut header = tar::Header::new_ustar();
        header.set_size(MAX_ENTRY_HEADER_BYTES + 1);
        header.set_entry_type(tar::EntryType::XGlobalHeader);
        header.set_cksum();
        let mut bytes = header.as_bytes().to_vec();
        bytes.resize(bytes.len() + MAX_ENTRY_HEADER_BYTES as usize + 1024, 0);
        let err = extract(&bytes).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ArchiveTooLarge, "{err}");
    }
}
