//! Deciding what an asset is: magic bytes first, the name as a claim that must agree.

use std::io::Read;

use super::{ArchiveKind, BinaryFormat, Compression, ExtractError};

/// How many leading bytes of the raw stream detection looks at. Enough for the tar magic at
/// offset 257 and a whole tar header block, small enough to keep in memory.
pub(crate) const HEAD_LEN: usize = 8 * 1024;

/// A tar header block: decompressed bytes peeked to tell a compressed tar from a compressed
/// single file.
pub(crate) const TAR_BLOCK: usize = 512;

/// What the asset's name says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameClaim {
    Tar(Compression),
    Zip,
    SevenZ,
    CompressedFile(Compression),
}

/// What the first raw bytes say, before any decompression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outer {
    /// Compressed: whether a tar or a single file is decided after decompressing a little.
    Compressed(Compression),
    Zip,
    /// A 7z archive (read from a seekable file, like a zip).
    SevenZ,
    Tar,
    Binary(BinaryFormat),
}

/// The claim made by a name's extension, if it makes one. Case-insensitive.
pub(crate) fn name_claim(asset_name: &str) -> Option<NameClaim> {
    let lower = asset_name.to_ascii_lowercase();
    const TABLE: &[(&str, NameClaim)] = &[
        (".tar.gz", NameClaim::Tar(Compression::Gzip)),
        (".tgz", NameClaim::Tar(Compression::Gzip)),
        (".tar.xz", NameClaim::Tar(Compression::Xz)),
        (".txz", NameClaim::Tar(Compression::Xz)),
        (".tar.bz2", NameClaim::Tar(Compression::Bzip2)),
        (".tar.bz", NameClaim::Tar(Compression::Bzip2)),
        (".tbz2", NameClaim::Tar(Compression::Bzip2)),
        (".tbz", NameClaim::Tar(Compression::Bzip2)),
        (".tar.zst", NameClaim::Tar(Compression::Zstd)),
        (".tar.zstd", NameClaim::Tar(Compression::Zstd)),
        (".tzst", NameClaim::Tar(Compression::Zstd)),
        (".tar", NameClaim::Tar(Compression::None)),
        (".zip", NameClaim::Zip),
        (".7z", NameClaim::SevenZ),
        (".gz", NameClaim::CompressedFile(Compression::Gzip)),
        (".xz", NameClaim::CompressedFile(Compression::Xz)),
        (".bz2", NameClaim::CompressedFile(Compression::Bzip2)),
        (".zst", NameClaim::CompressedFile(Compression::Zstd)),
        (".zstd", NameClaim::CompressedFile(Compression::Zstd)),
    ];
    TABLE
        .iter()
        .find(|(suffix, _)| lower.ends_with(suffix))
        .map(|(_, claim)| *claim)
}

/// Whether a 512-byte block is a tar header: the POSIX/GNU magic at 257, or (old v7 tars
/// have no magic) a header checksum that adds up.
pub(crate) fn looks_like_tar(block: &[u8]) -> bool {
    if block.len() < TAR_BLOCK {
        return false;
    }
    if &block[257..262] == b"ustar" {
        return true;
    }
    if block[0] == 0 {
        return false;
    }
    let Some(stored) = parse_octal(&block[148..156]) else {
        return false;
    };
    // The checksum is the byte sum of the header with the checksum field read as spaces.
    let sum: u64 = block[..TAR_BLOCK]
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u64::from(b)
            }
        })
        .sum();
    sum == stored
}

fn parse_octal(field: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(field).ok()?;
    let digits = text.trim_matches(|c: char| c == ' ' || c == '\0');
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(digits, 8).ok()
}

fn sniff_content(head: &[u8]) -> Option<Outer> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(&[0x1f, 0x8b]) {
        Some(Outer::Compressed(Compression::Gzip))
    } else if starts(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Some(Outer::Compressed(Compression::Xz))
    } else if starts(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some(Outer::Compressed(Compression::Zstd))
    } else if head.len() >= 4 && starts(b"BZh") && (b'1'..=b'9').contains(&head[3]) {
        Some(Outer::Compressed(Compression::Bzip2))
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        Some(Outer::Zip)
    } else if starts(&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c]) {
        Some(Outer::SevenZ)
    } else if looks_like_tar(head) {
        Some(Outer::Tar)
    } else if starts(&[0x7f, b'E', b'L', b'F']) {
        Some(Outer::Binary(BinaryFormat::Elf))
    } else if [
        [0xfe, 0xed, 0xfa, 0xce],
        [0xce, 0xfa, 0xed, 0xfe],
        [0xfe, 0xed, 0xfa, 0xcf],
        [0xcf, 0xfa, 0xed, 0xfe],
        [0xca, 0xfe, 0xba, 0xbe],
        [0xca, 0xfe, 0xba, 0xbf],
    ]
    .iter()
    .any(|magic| starts(magic))
    {
        Some(Outer::Binary(BinaryFormat::MachO))
    } else if starts(b"MZ") {
        Some(Outer::Binary(BinaryFormat::Pe))
    } else if starts(b"#!") {
        Some(Outer::Binary(BinaryFormat::Script))
    } else {
        None
    }
}

/// The raw format, checked against the name's claim.
pub(crate) fn sniff(asset_name: &str, head: &[u8]) -> Result<Outer, ExtractError> {
    let claim = name_claim(asset_name);
    let Some(outer) = sniff_content(head) else {
        return Err(match claim {
            Some(claim) => wrong_format(asset_name, claim, head),
            None => ExtractError::UnknownFormat {
                asset: asset_name.to_string(),
                head: describe_head(head),
            },
        });
    };
    let agrees = match (claim, outer) {
        (None, _) => true,
        (Some(NameClaim::Zip), Outer::Zip) => true,
        (Some(NameClaim::SevenZ), Outer::SevenZ) => true,
        (Some(NameClaim::Tar(Compression::None)), Outer::Tar) => true,
        (Some(NameClaim::Tar(c) | NameClaim::CompressedFile(c)), Outer::Compressed(found)) => {
            c == found
        }
        _ => false,
    };
    match claim {
        Some(claim) if !agrees => Err(wrong_format(asset_name, claim, head)),
        _ => Ok(outer),
    }
}

/// Decide tar vs single file for a compressed stream from its first decompressed bytes (all
/// of them when there are fewer than a tar block: a short peek is a short file).
pub(crate) fn inner_kind(
    asset_name: &str,
    compression: Compression,
    peek: &[u8],
) -> Result<ArchiveKind, ExtractError> {
    if looks_like_tar(peek) {
        return Ok(ArchiveKind::Tar(compression));
    }
    if let Some(NameClaim::Tar(_)) = name_claim(asset_name) {
        return Err(ExtractError::WrongFormat {
            asset: asset_name.to_string(),
            expected: format!("a tar archive inside its {} stream", compression.name()),
            head: describe_head(peek),
        });
    }
    Ok(ArchiveKind::CompressedFile(compression))
}

/// Decide what an asset is from its name and its first bytes (up to a few KiB).
///
/// Content decides; a name extension (`.tar.gz`, `.zip`, `.xz`, …) is a claim, and content
/// that contradicts it is an error (`x.tar.gz` holding xz data is not silently accepted). For
/// compressed content the head is decompressed as far as it goes to look for a tar header;
/// when the head is too short to tell (bzip2 emits nothing until a whole block is in), the
/// name decides, and a name that says nothing means a tar. [`extract_stream`] peeks the live
/// decompressed stream instead, so it is never left guessing.
///
/// [`extract_stream`]: super::extract_stream
pub fn detect_kind(asset_name: &str, head: &[u8]) -> Result<ArchiveKind, ExtractError> {
    match sniff(asset_name, head)? {
        Outer::Zip => Ok(ArchiveKind::Zip),
        Outer::SevenZ => Ok(ArchiveKind::SevenZ),
        Outer::Tar => Ok(ArchiveKind::Tar(Compression::None)),
        Outer::Binary(format) => Ok(ArchiveKind::Binary(format)),
        Outer::Compressed(c) => {
            let mut source: &[u8] = head;
            let (peek, complete) = match decoder(c, &mut source) {
                Ok(mut dec) => peek_block(&mut *dec),
                Err(_) => (Vec::new(), false),
            };
            if peek.len() >= TAR_BLOCK || complete {
                inner_kind(asset_name, c, &peek)
            } else {
                match name_claim(asset_name) {
                    Some(NameClaim::CompressedFile(_)) => Ok(ArchiveKind::CompressedFile(c)),
                    _ => Ok(ArchiveKind::Tar(c)),
                }
            }
        }
    }
}

/// Read up to one tar block; errors (a truncated head) just end the peek.
fn peek_block(reader: &mut dyn Read) -> (Vec<u8>, bool) {
    let mut buf = vec![0u8; TAR_BLOCK];
    let mut filled = 0;
    while filled < TAR_BLOCK {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => {
                buf.truncate(filled);
                return (buf, true);
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    buf.truncate(filled);
    (buf, false)
}

/// A streaming decoder for `c` over an already buffered source.
pub(crate) fn decoder<'a>(
    c: Compression,
    source: impl std::io::BufRead + 'a,
) -> std::io::Result<Box<dyn Read + 'a>> {
    Ok(match c {
        Compression::None => Box::new(source),
        // Multi-member: `cat a.gz b.gz` is a valid gzip stream and some release tools emit it.
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(source)),
        Compression::Xz => Box::new(xz2::bufread::XzDecoder::new_multi_decoder(source)),
        Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(source)),
        // zstd decodes concatenated frames by default.
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(source)?),
    })
}

fn wrong_format(asset_name: &str, claim: NameClaim, head: &[u8]) -> ExtractError {
    let expected = match claim {
        NameClaim::Tar(Compression::None) => "a tar archive".to_string(),
        NameClaim::Tar(c) | NameClaim::CompressedFile(c) => format!("a {} archive", c.name()),
        NameClaim::Zip => "a zip archive".to_string(),
        NameClaim::SevenZ => "a 7z archive".to_string(),
    };
    ExtractError::WrongFormat {
        asset: asset_name.to_string(),
        expected,
        head: describe_head(head),
    }
}

/// The first bytes in hex, plus the text when they look like text (an HTML error page is the
/// usual culprit).
pub(crate) fn describe_head(head: &[u8]) -> String {
    if head.is_empty() {
        return "nothing: it is empty".to_string();
    }
    let shown = &head[..head.len().min(8)];
    let hex: Vec<String> = shown.iter().map(|b| format!("{b:02x}")).collect();
    let mut out = hex.join(" ");
    if head.len() > shown.len() {
        out.push_str(" …");
    }
    let text = &head[..head.len().min(24)];
    if text
        .iter()
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
    {
        out.push_str(&format!(" {:?}", String::from_utf8_lossy(text)));
    }
    out
}
