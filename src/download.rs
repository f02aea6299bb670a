//! Streaming downloads: open a response with retries, hash every byte as it passes (sha256
//! always, sha512 on request), tee it to a file, refuse a body cut short, and keep a download
//! cache keyed by sha256.
//!
//! Nothing here holds a whole archive in memory. [`HashingReader`] is a plain [`Read`], so the
//! installer can chain `response → hash → tee to the cache file → decompressor → tar` and
//! extract while the bytes arrive; [`Downloader::download_to`] is the simpler whole-file path.
//!
//! Knows nothing about GitHub's API (the caller builds each request, with or without a token)
//! nor about what the bytes are; does not verify them against an expectation (`verify` does),
//! prints nothing (progress goes through the [`Progress`] trait) and reads no environment.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::blocking::{Client, RequestBuilder, Response};
use sha2::{Digest, Sha256, Sha512};

use crate::error::{Diagnostic, ErrorKind};
use crate::http::{self, Failed, RetryCause, RetryPolicy, retry_after};
use crate::release::is_sha256_hex;
use crate::text::{redact_url, untrusted};

/// Buffer size for reading bodies and writing files: large enough that syscalls and hashing
/// calls are not the bottleneck on a fast link. Wrap a [`HashingReader`] in a `BufReader` of
/// this capacity when the consumer reads in small pieces.
pub const BUFFER_SIZE: usize = 256 * 1024;

/// The hex digest of a file's bytes with `D` (sha256, sha512), read in [`BUFFER_SIZE`] chunks.
pub fn hash_file<D: sha2::Digest>(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = D::new();
    let mut buf = vec![0u8; BUFFER_SIZE];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hex::encode(hasher.finalize()));
        }
        hasher.update(&buf[..n]);
    }
}

/// Progress is reported in steps of at least this many bytes, so a progress bar costs nothing
/// next to the download.
const PROGRESS_STEP: u64 = 64 * 1024;

/// Receives download progress; the CLI draws bars with it. Calls come from the thread doing
/// the download.
pub trait Progress: Send + Sync {
    /// A download of `name` begins; `total` is the size when the server said it. Called again
    /// when a download restarts after a transient failure: start over from zero.
    fn start(&self, name: &str, total: Option<u64>);
    /// `bytes` more arrived (at most every ~64 KiB, plus the remainder at the end).
    fn advance(&self, bytes: u64);
    /// The reader for `name` is done, after `bytes` in total — successfully or not; the
    /// result the caller gets says which.
    fn finish(&self, name: &str, bytes: u64);
}

/// Progress that goes nowhere (quiet mode, tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _name: &str, _total: Option<u64>) {}
    fn advance(&self, _bytes: u64) {}
    fn finish(&self, _name: &str, _bytes: u64) {}
}

/// What a complete download hashed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Lowercase hex.
    pub sha256: String,
    /// Lowercase hex, when asked for with [`HashingReader::with_sha512`].
    pub sha512: Option<String>,
    /// Bytes received.
    pub size: u64,
}

/// A download that failed. Names come from the release and are shown escaped and bounded;
/// URLs have credentials redacted.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error(
        "download of `{}` ended after {got} of {expected} bytes",
        untrusted(name)
    )]
    Truncated {
        name: String,
        expected: u64,
        got: u64,
        /// The read error that ended it, when the connection failed rather than closed.
        #[source]
        source: Option<io::Error>,
    },
    #[error(
        "download of `{}` sent more than the {expected} bytes announced; stopped at {got}",
        untrusted(name)
    )]
    Oversized {
        name: String,
        expected: u64,
        got: u64,
    },
    #[error(
        "download of `{}` announces {announced} bytes (Content-Length) but the release says the asset has {size}",
        untrusted(name)
    )]
    SizeMismatch {
        name: String,
        announced: u64,
        size: u64,
    },
    #[error(
        "`{}` is larger than the {limit} bytes toolget reads for such a file",
        untrusted(name)
    )]
    TooLarge { name: String, limit: u64 },
    #[error(
        "download of `{}` did not finish within {} ({got} bytes arrived)",
        untrusted(name),
        humantime::format_duration(*deadline)
    )]
    Deadline {
        name: String,
        deadline: Duration,
        got: u64,
    },
    #[error(
        "download of `{}` was stopped after {got} bytes: its contents were refused",
        untrusted(name)
    )]
    Abandoned { name: String, got: u64 },
    #[error("download of `{}` failed after {got} bytes", untrusted(name))]
    Read {
        name: String,
        got: u64,
        #[source]
        source: io::Error,
    },
    #[error(
        "download of `{}` failed: `{}` answered HTTP {status}",
        untrusted(name),
        redact_url(url)
    )]
    Http {
        name: String,
        status: StatusCode,
        url: String,
    },
    #[error("cannot download `{}` from `{}`", untrusted(name), redact_url(url))]
    Network {
        name: String,
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("download of `{}` {}", untrusted(name), http::attempts_note(*attempts, *elapsed))]
    GaveUp {
        name: String,
        attempts: u32,
        elapsed: Duration,
        /// The last attempt's failure.
        #[source]
        source: Box<DownloadError>,
    },
    #[error("cannot write the download of `{}` to disk", untrusted(name))]
    Write {
        name: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot use `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl DownloadError {
    /// Why another attempt from the start is worth it, or `None` when it is not: a cut or
    /// reset connection, a 5xx, no answer. The one classification the retry loop uses.
    pub fn retry_cause(&self) -> Option<RetryCause> {
        match self {
            DownloadError::Truncated { .. } | DownloadError::Read { .. } => Some(RetryCause::Cut),
            DownloadError::Http { status, .. } => http::status_cause(*status),
            DownloadError::Network { source, .. } => http::retry_cause(source),
            _ => None,
        }
    }
}

impl Diagnostic for DownloadError {
    /// `network`, `not_found`, `rate_limited`, `io`, or `download_refused` (more bytes than
    /// announced, a lying `Content-Length`, a file over its cap).
    fn kind(&self) -> ErrorKind {
        match self {
            DownloadError::Http { status, .. } => match *status {
                StatusCode::NOT_FOUND | StatusCode::GONE => ErrorKind::NotFound,
                StatusCode::TOO_MANY_REQUESTS => ErrorKind::RateLimited,
                _ => ErrorKind::Network,
            },
            DownloadError::GaveUp { source, .. } => source.kind(),
            DownloadError::Truncated { .. }
            | DownloadError::Read { .. }
            | DownloadError::Deadline { .. }
            | DownloadError::Network { .. } => ErrorKind::Network,
            DownloadError::Oversized { .. }
            | DownloadError::SizeMismatch { .. }
            | DownloadError::TooLarge { .. }
            | DownloadError::Abandoned { .. } => ErrorKind::DownloadRefused,
            DownloadError::Write { .. } | DownloadError::Io { .. } => ErrorKind::Io,
        }
    }

    /// What the user should do.
    fn hint(&self) -> Option<String> {
        Some(
            match self {
                DownloadError::GaveUp { source, .. } => return source.hint(),
                DownloadError::Truncated { .. } | DownloadError::Read { .. } => {
                    "the connection broke before the whole file arrived; run the command again \
                     (a proxy or an unstable network can cut long downloads)"
                }
                DownloadError::Oversized { .. } | DownloadError::SizeMismatch { .. } => {
                    "a proxy or server sent a different file than the release announces; nothing \
                     was installed and nothing was cached"
                }
                DownloadError::TooLarge { .. } => {
                    "a checksum file is a few kilobytes; this one is not, so it is not used"
                }
                DownloadError::Deadline { .. } => {
                    "the server is sending very slowly; try again, or raise \
                     TOOLGET_DOWNLOAD_DEADLINE (e.g. 2h)"
                }
                DownloadError::Abandoned { .. } => return None,
                DownloadError::Http { status, .. } => match *status {
                    StatusCode::NOT_FOUND | StatusCode::GONE => {
                        "the asset may have been removed from the release; for a private \
                         repository set GITHUB_TOKEN or GH_TOKEN"
                    }
                    StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                        "for a private repository set GITHUB_TOKEN or GH_TOKEN to a token with \
                         access"
                    }
                    StatusCode::TOO_MANY_REQUESTS => {
                        "the server is limiting downloads: wait a little and try again; \
                         GITHUB_TOKEN or GH_TOKEN raises GitHub's limits"
                    }
                    s if s.is_server_error() => "the server kept failing; try again later",
                    _ => return None,
                },
                DownloadError::Network { .. } => {
                    "check the network connection and proxy settings (HTTPS_PROXY); behind a \
                     private certificate authority set SSL_CERT_FILE"
                }
                DownloadError::Write { .. } | DownloadError::Io { .. } => {
                    "check free disk space and permissions"
                }
            }
            .to_string(),
        )
    }
}

/// Why a [`HashingReader`] stopped; kept so that [`HashingReader::finish`] can report the
/// real cause even when the consumer (a decompressor) saw only an I/O error.
#[derive(Debug)]
enum Failure {
    Source(io::Error),
    Short,
    Long,
    Tee(io::Error),
    /// The overall deadline passed.
    Deadline(Duration),
    /// The consumer refused the bytes; reading stopped there.
    Abandoned,
}

/// A reader over a response body that hashes (sha256, optionally sha512) every byte it yields,
/// tees it to a file, and fails — rather than ending — when the body stops before the
/// announced length: a cut body is a failure, never a success.
///
/// Read errors are sticky: after one, every read fails again, and [`finish`](Self::finish)
/// returns the original cause. Lend it to a consumer as `&mut reader` so `finish` stays
/// callable when the consumer gives up — its result explains a decompressor's "unexpected
/// end of file".
pub struct HashingReader<'p, R> {
    inner: R,
    tee: Option<BufWriter<File>>,
    expected_len: Option<u64>,
    progress: &'p dyn Progress,
    name: String,
    sha256: Sha256,
    sha512: Option<Sha512>,
    got: u64,
    unreported: u64,
    started: bool,
    at_eof: bool,
    failure: Option<Failure>,
    /// When the whole body must have arrived, and the allowance it came from.
    deadline: Option<(Instant, Duration)>,
}

impl<R> fmt::Debug for HashingReader<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HashingReader")
            .field("name", &self.name)
            .field("expected_len", &self.expected_len)
            .field("got", &self.got)
            .field("tee", &self.tee.is_some())
            .field("sha512", &self.sha512.is_some())
            .field("failure", &self.failure)
            .finish_non_exhaustive()
    }
}

impl<'p, R: Read> HashingReader<'p, R> {
    /// Wrap `inner`. `tee`, when given, receives every byte (it is written through a
    /// [`BUFFER_SIZE`] buffer, flushed by `finish`); keep its path yourself, e.g. pass
    /// `named_temp.reopen()?`. `expected_len` is the announced length (`Content-Length`).
    pub fn new(
        inner: R,
        tee: Option<File>,
        expected_len: Option<u64>,
        progress: &'p dyn Progress,
    ) -> HashingReader<'p, R> {
        HashingReader {
            inner,
            tee: tee.map(|file| BufWriter::with_capacity(BUFFER_SIZE, file)),
            expected_len,
            progress,
            name: String::from("download"),
            sha256: Sha256::new(),
            sha512: None,
            got: 0,
            unreported: 0,
            started: false,
            at_eof: false,
            failure: None,
            deadline: None,
        }
    }

    /// Fail once `allowed` has passed since now, however steadily bytes arrive.
    pub fn with_deadline(mut self, allowed: Duration) -> Self {
        self.deadline = Some((Instant::now() + allowed, allowed));
        self
    }

    /// Name the download in progress reports and errors (the asset's file name).
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Also compute sha512 (when the expected digest is sha512).
    pub fn with_sha512(mut self) -> Self {
        self.sha512 = Some(Sha512::new());
        self
    }

    /// Bytes yielded so far.
    pub fn bytes_read(&self) -> u64 {
        self.got
    }

    /// Read whatever the consumer left unread (a tar reader stops at the end-of-archive
    /// marker, a decompressor may not read trailing bytes), so the hash and the tee cover the
    /// whole body; flush the tee; return the digests, or why the body was not whole.
    pub fn finish(mut self) -> Result<Fetched, DownloadError> {
        if self.failure.is_none() && !self.at_eof {
            let mut buf = vec![0u8; BUFFER_SIZE];
            loop {
                match self.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    // The cause is in `self.failure`.
                    Err(_) => break,
                }
            }
        }
        if self.failure.is_none()
            && let Some(tee) = self.tee.as_mut()
            && let Err(e) = tee.flush()
        {
            self.failure = Some(Failure::Tee(e));
        }
        self.report_progress();
        self.progress.finish(&self.name, self.got);
        let name = std::mem::take(&mut self.name);
        let (got, expected) = (self.got, self.expected_len);
        match self.failure.take() {
            None => Ok(Fetched {
                sha256: hex::encode(self.sha256.finalize()),
                sha512: self.sha512.map(|h| hex::encode(h.finalize())),
                size: got,
            }),
            Some(Failure::Short) => Err(DownloadError::Truncated {
                name,
                expected: expected.unwrap_or(got),
                got,
                source: None,
            }),
            Some(Failure::Long) => Err(DownloadError::Oversized {
                name,
                expected: expected.unwrap_or(got),
                got,
            }),
            Some(Failure::Source(source)) => match expected {
                Some(expected) if got < expected => Err(DownloadError::Truncated {
                    name,
                    expected,
                    got,
                    source: Some(source),
                }),
                _ => Err(DownloadError::Read { name, got, source }),
            },
            Some(Failure::Tee(source)) => Err(DownloadError::Write { name, source }),
            Some(Failure::Deadline(deadline)) => Err(DownloadError::Deadline {
                name,
                deadline,
                got,
            }),
            Some(Failure::Abandoned) => Err(DownloadError::Abandoned { name, got }),
        }
    }

    /// Hand the bytes to `consume` on this thread while a second thread receives, hashes and
    /// tees them; then [`finish`](Self::finish) on that thread and return both results.
    ///
    /// Same outcome as `consume(&mut reader)` followed by `reader.finish()`, but the two
    /// halves overlap: an install spends most of its CPU time inflating, and hashing, writing
    /// the cache copy and waiting for the network no longer stand in its way (and on a busy
    /// machine two runnable threads get twice the CPU share of one). At most
    /// [`READ_AHEAD_CHUNKS`] buffers of [`BUFFER_SIZE`] are in flight, so memory stays flat
    /// whatever the size of the download.
    ///
    /// `consume` sees the same bytes in the same order, and a failure of the body (cut, too
    /// long, unreadable) as an `io::Error` whose cause `finish` reports. When `consume`
    /// succeeds early, the rest of the body is still read and hashed, exactly as `finish`
    /// does; when it fails (an unsafe entry, the unpacked-size cap), reading stops at once —
    /// not one more byte is downloaded — and the download's result is
    /// [`DownloadError::Abandoned`] unless the body had already failed on its own.
    pub fn finish_while<T, E>(
        self,
        consume: impl FnOnce(&mut dyn Read) -> Result<T, E>,
    ) -> (Result<T, E>, Result<Fetched, DownloadError>)
    where
        R: Send,
    {
        let abandon = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let (full_tx, full_rx) = mpsc::sync_channel::<Chunk>(READ_AHEAD_CHUNKS);
            let (empty_tx, empty_rx) = mpsc::channel::<Vec<u8>>();
            let abandon = &abandon;
            let producer = scope.spawn(move || self.pump(full_tx, empty_rx, abandon));
            let mut pipe = PipeReader {
                chunks: full_rx,
                recycle: empty_tx,
                current: Vec::new(),
                pos: 0,
                failed: None,
            };
            let consumed = consume(&mut pipe);
            if consumed.is_err() {
                abandon.store(true, Ordering::SeqCst);
            }
            // Unblocks the producer if it is waiting to send: it then reads on by itself, or
            // stops when the consumer failed.
            drop(pipe);
            let fetched = producer.join().unwrap_or_else(|panic| {
                // A panic in hashing code is a bug, not an outcome: pass it on.
                std::panic::resume_unwind(panic)
            });
            (consumed, fetched)
        })
    }

    /// The producer half of [`finish_while`](Self::finish_while): read, hash and tee chunks
    /// and send them until the end, an error, or the consumer leaving; then finish.
    fn pump(
        mut self,
        full: mpsc::SyncSender<Chunk>,
        empty: mpsc::Receiver<Vec<u8>>,
        abandon: &AtomicBool,
    ) -> Result<Fetched, DownloadError> {
        loop {
            if abandon.load(Ordering::SeqCst) {
                break;
            }
            let mut buf = empty.try_recv().unwrap_or_else(|_| vec![0u8; BUFFER_SIZE]);
            buf.resize(BUFFER_SIZE, 0);
            let chunk = match self.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    buf.truncate(n);
                    Chunk::Data(buf)
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => Chunk::Failed(e),
            };
            let failed = matches!(chunk, Chunk::Failed(_));
            if full.send(chunk).is_err() || failed {
                break;
            }
        }
        drop(full);
        if abandon.load(Ordering::SeqCst) && self.failure.is_none() && !self.at_eof {
            self.failure = Some(Failure::Abandoned);
        }
        self.finish()
    }

    fn report_progress(&mut self) {
        if self.unreported > 0 {
            self.progress.advance(self.unreported);
            self.unreported = 0;
        }
    }

    /// Record `failure` and return an error the consumer can propagate.
    fn fail(&mut self, failure: Failure) -> io::Error {
        let error = failure_to_io(&failure, self.got, self.expected_len);
        self.failure = Some(failure);
        error
    }
}

fn failure_to_io(failure: &Failure, got: u64, expected: Option<u64>) -> io::Error {
    let expected = expected.unwrap_or(got);
    match failure {
        Failure::Source(e) | Failure::Tee(e) => io::Error::new(e.kind(), e.to_string()),
        Failure::Short => io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("download ended after {got} of {expected} bytes"),
        ),
        Failure::Long => io::Error::new(
            io::ErrorKind::InvalidData,
            format!("download sent more than the {expected} bytes announced"),
        ),
        Failure::Deadline(allowed) => io::Error::new(
            io::ErrorKind::TimedOut,
            format!(
                "download did not finish within {}",
                humantime::format_duration(*allowed)
            ),
        ),
        Failure::Abandoned => io::Error::other("download abandoned"),
    }
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(failure) = &self.failure {
            return Err(failure_to_io(failure, self.got, self.expected_len));
        }
        // A zero-length read proves nothing about the end of the body.
        if buf.is_empty() || self.at_eof {
            return Ok(0);
        }
        if !self.started {
            self.started = true;
            self.progress.start(&self.name, self.expected_len);
        }
        if let Some((deadline, allowed)) = self.deadline
            && Instant::now() > deadline
        {
            return Err(self.fail(Failure::Deadline(allowed)));
        }
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => return Err(self.fail(Failure::Source(e))),
        };
        if n == 0 {
            if self
                .expected_len
                .is_some_and(|expected| self.got < expected)
            {
                return Err(self.fail(Failure::Short));
            }
            self.at_eof = true;
            self.report_progress();
            return Ok(0);
        }
        let chunk = &buf[..n];
        let got = self.got + n as u64;
        if self.expected_len.is_some_and(|expected| got > expected) {
            self.got = got;
            return Err(self.fail(Failure::Long));
        }
        self.sha256.update(chunk);
        if let Some(sha512) = self.sha512.as_mut() {
            sha512.update(chunk);
        }
        if let Some(tee) = self.tee.as_mut()
            && let Err(e) = tee.write_all(chunk)
        {
            return Err(self.fail(Failure::Tee(e)));
        }
        self.got = got;
        self.unreported += n as u64;
        if self.unreported >= PROGRESS_STEP {
            self.report_progress();
        }
        Ok(n)
    }
}

/// Buffers of [`BUFFER_SIZE`] that [`HashingReader::finish_while`] lets its receiving thread
/// get ahead of the consumer by: enough to ride out a slow write or inflate burst, 1 MiB in
/// all.
pub const READ_AHEAD_CHUNKS: usize = 4;

/// What the receiving thread of [`HashingReader::finish_while`] passes on.
enum Chunk {
    Data(Vec<u8>),
    /// The body failed; `finish` has the real cause.
    Failed(io::Error),
}

/// The consumer's end of [`HashingReader::finish_while`]: a [`Read`] over the chunks the
/// receiving thread sends, handing emptied buffers back for reuse.
struct PipeReader {
    chunks: mpsc::Receiver<Chunk>,
    recycle: mpsc::Sender<Vec<u8>>,
    current: Vec<u8>,
    pos: usize,
    /// Sticky, like the failures of [`HashingReader`] itself.
    failed: Option<(io::ErrorKind, String)>,
}

impl Read for PipeReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some((kind, message)) = &self.failed {
            return Err(io::Error::new(*kind, message.clone()));
        }
        if buf.is_empty() {
            return Ok(0);
        }
        while self.pos == self.current.len() {
            match self.chunks.recv() {
                Ok(Chunk::Data(data)) => {
                    let done = std::mem::replace(&mut self.current, data);
                    self.pos = 0;
                    if done.capacity() > 0 {
                        // The producer may have finished already; then the buffer just goes.
                        let _ = self.recycle.send(done);
                    }
                }
                Ok(Chunk::Failed(e)) => {
                    self.failed = Some((e.kind(), e.to_string()));
                    return Err(e);
                }
                // The producer hung up after the last chunk: the end of the body.
                Err(mpsc::RecvError) => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.pos);
        buf[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// An open response whose status was a success; nothing of the body consumed yet.
#[derive(Debug)]
pub struct Body {
    response: Response,
    name: String,
    /// The length the body must have: `Content-Length`, else the release's size.
    expected: Option<u64>,
    deadline: Duration,
}

impl Body {
    /// The announced length (`Content-Length`), when the server sent one.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// The length the body must have: `Content-Length`, else the release's size, when
    /// either is known (they agree when both are: [`Downloader::open`] checks).
    pub fn expected_len(&self) -> Option<u64> {
        self.expected
    }

    /// Where the body comes from, after redirects.
    pub fn url(&self) -> &str {
        self.response.url().as_str()
    }

    /// The hashing, teeing reader over this body (see [`HashingReader::new`]), named,
    /// holding the length the body must have and the download's deadline.
    pub fn into_reader(
        self,
        tee: Option<File>,
        progress: &dyn Progress,
    ) -> HashingReader<'_, Response> {
        HashingReader::new(self.response, tee, self.expected, progress)
            .named(self.name)
            .with_deadline(self.deadline)
    }

    /// The whole body, when it is at most `limit` bytes: refused as soon as `Content-Length`
    /// or the bytes read so far exceed it, without reading on.
    pub fn read_capped(self, limit: u64) -> Result<Vec<u8>, DownloadError> {
        let name = self.name.clone();
        let too_large = || DownloadError::TooLarge {
            name: name.clone(),
            limit,
        };
        if self.expected.is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let mut reader = self.into_reader(None, &NoProgress);
        let mut body = Vec::new();
        let read = (&mut reader).take(limit + 1).read_to_end(&mut body);
        if body.len() as u64 > limit {
            return Err(too_large());
        }
        // A read error's cause is in `finish`; nothing is left to drain on success.
        let _ = read;
        reader.finish()?;
        Ok(body)
    }
}

/// Fetches bodies over HTTP with retries.
#[derive(Debug, Clone)]
pub struct Downloader {
    client: Client,
    retry: RetryPolicy,
    deadline: Duration,
}

impl Downloader {
    pub fn new(client: Client, retry: RetryPolicy) -> Downloader {
        Downloader {
            client,
            retry,
            deadline: crate::settings::DEFAULT_DOWNLOAD_DEADLINE,
        }
    }

    /// The longest one download may take (`TOOLGET_DOWNLOAD_DEADLINE`).
    pub fn with_deadline(mut self, deadline: Duration) -> Downloader {
        self.deadline = deadline;
        self
    }

    /// The same downloader making one attempt per call: for a caller that retries a larger
    /// step (download *and* extract) in its own [`RetryPolicy::run`].
    pub fn single_attempt(&self) -> Downloader {
        Downloader {
            retry: RetryPolicy {
                max_attempts: 1,
                ..self.retry.clone()
            },
            ..self.clone()
        }
    }

    /// The client to build requests with (`|| downloader.client().get(url)`).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Open a response for the request `make_request` builds (called once per attempt; the
    /// request is sent with the client it was built from). Retries transient failures —
    /// connect errors, no answer, resets, 5xx, 408 — before any byte of the body was
    /// consumed; other statuses fail at once. `name` (the asset's file name) names the
    /// download in errors; `size` is the release's size for it (`None` or 0: unknown), which
    /// `Content-Length` must match and the body may not exceed.
    pub fn open(
        &self,
        make_request: &dyn Fn() -> RequestBuilder,
        name: &str,
        size: Option<u64>,
    ) -> Result<Body, DownloadError> {
        let host = host_of(make_request);
        self.retry
            .run(&host, |_| self.open_once(make_request, name, size))
            .map_err(|gave_up| gave_up_error(name, gave_up))
    }

    /// Download the whole body into `dest` (a temp file in the store's staging dir), hashing
    /// as it streams and checking the announced length. A failure mid-body that may pass
    /// (a cut or reset connection) restarts the whole download: `dest` is truncated and
    /// written again. Shares the retry budget with opening, so at most
    /// `retry.max_attempts` requests are made. Leaves `dest`'s cursor at the end.
    pub fn download_to(
        &self,
        make_request: &dyn Fn() -> RequestBuilder,
        name: &str,
        size: Option<u64>,
        dest: &mut File,
        progress: &dyn Progress,
    ) -> Result<Fetched, DownloadError> {
        let host = host_of(make_request);
        self.retry
            .run(&host, |_| {
                let body = self.open_once(make_request, name, size)?;
                let write_error = |source| {
                    Failed::fatal(DownloadError::Write {
                        name: name.to_string(),
                        source,
                    })
                };
                dest.set_len(0).map_err(write_error)?;
                dest.seek(SeekFrom::Start(0)).map_err(write_error)?;
                let tee = dest.try_clone().map_err(write_error)?;
                body.into_reader(Some(tee), progress)
                    .finish()
                    .map_err(|error| Failed {
                        cause: error.retry_cause(),
                        error,
                        retry_after: None,
                    })
            })
            .map_err(|gave_up| gave_up_error(name, gave_up))
    }

    fn open_once(
        &self,
        make_request: &dyn Fn() -> RequestBuilder,
        name: &str,
        size: Option<u64>,
    ) -> Result<Body, Failed<DownloadError>> {
        let (client, request) = make_request().build_split();
        let request = request.map_err(|source| {
            Failed::fatal(DownloadError::Network {
                name: name.to_string(),
                url: source
                    .url()
                    .map(std::string::ToString::to_string)
                    .unwrap_or_default(),
                source: source.without_url(),
            })
        })?;
        let url = request.url().to_string();
        let response = client.execute(request).map_err(|source| {
            let error = DownloadError::Network {
                name: name.to_string(),
                url: url.clone(),
                source: source.without_url(),
            };
            Failed {
                cause: error.retry_cause(),
                error,
                retry_after: None,
            }
        })?;
        let status = response.status();
        if status.is_success() {
            let size = size.filter(|&s| s > 0);
            if let (Some(announced), Some(size)) = (response.content_length(), size)
                && announced != size
            {
                return Err(Failed::fatal(DownloadError::SizeMismatch {
                    name: name.to_string(),
                    announced,
                    size,
                }));
            }
            return Ok(Body {
                expected: response.content_length().or(size),
                response,
                name: name.to_string(),
                deadline: self.deadline,
            });
        }
        // A CDN's signed query string is long and useless to the reader of the message.
        let mut url = response.url().clone();
        url.set_query(None);
        let error = DownloadError::Http {
            name: name.to_string(),
            status,
            url: url.to_string(),
        };
        Err(Failed {
            cause: error.retry_cause(),
            retry_after: retry_after(response.headers()),
            error,
        })
    }
}

/// The host a request goes to, for retry notices.
fn host_of(make_request: &dyn Fn() -> RequestBuilder) -> String {
    make_request()
        .build()
        .ok()
        .and_then(|r| r.url().host_str().map(str::to_owned))
        .unwrap_or_else(|| "the server".to_owned())
}

/// The last error, wrapped with the attempt count when there was more than one.
pub fn gave_up_error(name: &str, gave_up: http::GaveUp<DownloadError>) -> DownloadError {
    if gave_up.attempts > 1 {
        DownloadError::GaveUp {
            name: name.to_string(),
            attempts: gave_up.attempts,
            elapsed: gave_up.elapsed,
            source: Box::new(gave_up.error),
        }
    } else {
        gave_up.error
    }
}

/// Download cache keyed by sha256: `<dir>/sha256/<first two hex digits>/<hex>`.
///
/// Entries are verified when read: [`get`](Cache::get) re-hashes the file and deletes it if it
/// no longer matches its name, so a corrupt entry (disk error, interrupted copy by another
/// tool, a user's edit) is never handed out. Hashing a cached archive costs a fraction of
/// downloading it again. [`put`](Cache::put) does not re-hash: the caller just computed the
/// digest while streaming, and `get` checks it anyway.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The cache's root directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the entry for `sha256` lives (whether or not it exists). Only meaningful for a
    /// valid digest; `get` and `put` reject anything else.
    pub fn path_for(&self, sha256: &str) -> PathBuf {
        let hex = sha256.to_ascii_lowercase();
        let shard = hex.get(..2).unwrap_or("__");
        self.dir.join("sha256").join(shard).join(&hex)
    }

    /// The cached file with this sha256, after checking that it still hashes to it. `None`
    /// when absent, unreadable, or corrupt (a corrupt entry is removed).
    pub fn get(&self, sha256: &str) -> Option<PathBuf> {
        if !is_sha256_hex(sha256) {
            return None;
        }
        let path = self.path_for(sha256);
        let file = File::open(&path).ok()?;
        let mut reader = HashingReader::new(file, None, None, &NoProgress);
        io::copy(&mut reader, &mut io::sink()).ok()?;
        let fetched = reader.finish().ok()?;
        if fetched.sha256.eq_ignore_ascii_case(sha256) {
            Some(path)
        } else {
            // Best effort: if removal fails the entry is still never returned.
            let _ = fs::remove_file(&path);
            None
        }
    }

    /// Store `file` (whose sha256 the caller computed) under `sha256` and return the entry's
    /// path. Atomic: the bytes go to a temp name inside the cache directory (a hard link when
    /// possible, else a copy) which is then renamed into place, so a reader never sees a
    /// partial entry. An existing entry is replaced. With a hard link, the entry shares its
    /// bytes with `file`: do not modify `file` in place afterwards.
    pub fn put(&self, file: &Path, sha256: &str) -> Result<PathBuf, DownloadError> {
        if !is_sha256_hex(sha256) {
            return Err(DownloadError::Io {
                path: self.dir.clone(),
                source: io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("`{sha256}` is not a sha256 hex digest"),
                ),
            });
        }
        let dest = self.path_for(sha256);
        let shard = self
            .dir
            .join("sha256")
            .join(sha256[..2].to_ascii_lowercase());
        let shard = shard.as_path();
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| DownloadError::Io { path, source }
        };
        fs::create_dir_all(shard).map_err(io_err(shard))?;
        let temp = tempfile::Builder::new()
            .prefix(".tmp-")
            .make_in(shard, |temp_path| fs::hard_link(file, temp_path));
        match temp {
            Ok(linked) => {
                linked.persist(&dest).map_err(|e| DownloadError::Io {
                    path: dest.clone(),
                    source: e.error,
                })?;
            }
            // Another filesystem, or links not supported: copy instead.
            Err(_) => {
                let mut source = File::open(file).map_err(io_err(file))?;
                let mut temp = tempfile::Builder::new()
                    .prefix(".tmp-")
                    .tempfile_in(shard)
                    .map_err(io_err(shard))?;
                io::copy(&mut source, temp.as_file_mut()).map_err(io_err(temp.path()))?;
                temp.persist(&dest).map_err(|e| DownloadError::Io {
                    path: dest.clone(),
                    source: e.error,
                })?;
            }
        }
        Ok(dest)
    }
}

#[cfg(test)]
// A failed unwrap is a failed test, with the value in the message.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::http::{HttpConfig, build_client};
    use std::io::{BufRead, BufReader, Cursor};
    use std::net::{TcpListener, TcpStream};
    use std::sync::Arc;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// What the test server does with request number `n`.
    enum Reply {
        Ok(Vec<u8>),
        Status(u16),
        /// Announce `declared` bytes, send `body`, close.
        Short {
            declared: usize,
            body: Vec<u8>,
        },
        /// Read the request and hang up without answering.
        HangUp,
    }

    struct Server {
        url: String,
        hits: Arc<AtomicUsize>,
    }

    impl Server {
        fn hits(&self) -> usize {
            self.hits.load(Ordering::SeqCst)
        }
    }

    /// A one-connection-at-a-time HTTP/1.1 server on loopback; lives until the test process
    /// exits.
    fn serve(plan: impl Fn(usize) -> Reply + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                if read_request_head(&mut stream).is_err() {
                    continue;
                }
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let _ = answer(&mut stream, plan(n));
            }
        });
        Server {
            url: format!("http://{addr}/asset.tar.gz"),
            hits,
        }
    }

    fn read_request_head(stream: &mut TcpStream) -> io::Result<()> {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 || line == "\r\n" {
                return Ok(());
            }
        }
    }

    fn answer(stream: &mut TcpStream, reply: Reply) -> io::Result<()> {
        let (status, declared, body) = match reply {
            Reply::Ok(body) => (200, body.len(), body),
            Reply::Status(status) => (status, 0, Vec::new()),
            Reply::Short { declared, body } => (200, declared, body),
            Reply::HangUp => return Ok(()),
        };
        write!(
            stream,
            "HTTP/1.1 {status} X\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
        )?;
        stream.write_all(&body)?;
        stream.flush()
    }

    fn downloader(attempts: u32) -> Downloader {
        Downloader::new(
            build_client(&HttpConfig::default()).unwrap(),
            RetryPolicy::immediate(attempts),
        )
    }

    /// Bytes that are not all alike, so a shifted or repeated chunk changes the hash.
    fn payload(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    fn sha256_hex(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    #[derive(Default)]
    struct Recorder {
        events: Mutex<Vec<String>>,
        advanced: AtomicUsize,
        calls: AtomicUsize,
    }

    impl Progress for Recorder {
        fn start(&self, name: &str, total: Option<u64>) {
            self.events
                .lock()
                .unwrap()
                .push(format!("start {name} {total:?}"));
        }
        fn advance(&self, bytes: u64) {
            self.advanced.fetch_add(bytes as usize, Ordering::SeqCst);
            self.calls.fetch_add(1, Ordering::SeqCst);
        }
        fn finish(&self, name: &str, bytes: u64) {
            self.events
                .lock()
                .unwrap()
                .push(format!("finish {name} {bytes}"));
        }
    }

    #[test]
    fn full_download_hashes_every_byte() {
        let bytes = payload(3 * 1024 * 1024 + 17);
        let expected = sha256_hex(&bytes);
        let served = bytes.clone();
        let server = serve(move |_| Reply::Ok(served.clone()));
        let mut dest = tempfile::tempfile().unwrap();
        let progress = Recorder::default();
        let url = server.url.clone();
        let dl = downloader(3);
        let fetched = dl
            .download_to(
                &|| dl.client().get(&url),
                "asset.tar.gz",
                None,
                &mut dest,
                &progress,
            )
            .unwrap();
        assert_eq!(fetched.sha256, expected);
        assert_eq!(fetched.size, bytes.len() as u64);
        assert_eq!(fetched.sha512, None);
        let mut on_disk = Vec::new();
        dest.seek(SeekFrom::Start(0)).unwrap();
        dest.read_to_end(&mut on_disk).unwrap();
        assert!(
            on_disk == bytes,
            "file content differs from what was served"
        );
        assert_eq!(server.hits(), 1);
        // Progress adds up, arrives in steps (not per read), starts and finishes once.
        assert_eq!(progress.advanced.load(Ordering::SeqCst), bytes.len());
        let calls = progress.calls.load(Ordering::SeqCst);
        assert!(
            calls <= bytes.len() / PROGRESS_STEP as usize + 1,
            "{calls} progress calls"
        );
        assert_eq!(
            *progress.events.lock().unwrap(),
            [
                format!("start asset.tar.gz Some({})", bytes.len()),
                format!("finish asset.tar.gz {}", bytes.len())
            ]
        );
    }

    #[test]
    fn truncated_body_fails_after_retries() {
        let server = serve(|_| Reply::Short {
            declared: 1000,
            body: payload(400),
        });
        let mut dest = tempfile::tempfile().unwrap();
        let url = server.url.clone();
        let dl = downloader(3);
        let err = dl
            .download_to(
                &|| dl.client().get(&url),
                "x.tar.gz",
                None,
                &mut dest,
                &NoProgress,
            )
            .unwrap_err();
        let DownloadError::GaveUp {
            attempts: 3,
            source: last,
            ..
        } = &err
        else {
            panic!("{err:?}");
        };
        assert!(
            matches!(
                **last,
                DownloadError::Truncated {
                    expected: 1000,
                    got: 400,
                    ..
                }
            ),
            "{last:?}"
        );
        assert!(
            err.to_string()
                .starts_with("download of `x.tar.gz` failed after 3 attempts in "),
            "{err}"
        );
        assert_eq!(
            last.to_string(),
            "download of `x.tar.gz` ended after 400 of 1000 bytes"
        );
        assert_eq!(err.kind(), crate::error::ErrorKind::Network);
        assert_eq!(server.hits(), 3);
        // The restarts truncated the file: no stale bytes from earlier attempts pile up.
        assert_eq!(dest.metadata().unwrap().len(), 400);
    }

    #[test]
    fn bad_gateway_once_then_success() {
        let bytes = payload(5000);
        let served = bytes.clone();
        let server = serve(move |n| {
            if n == 0 {
                Reply::Status(502)
            } else {
                Reply::Ok(served.clone())
            }
        });
        let mut dest = tempfile::tempfile().unwrap();
        let url = server.url.clone();
        let dl = downloader(3);
        let fetched = dl
            .download_to(&|| dl.client().get(&url), "x", None, &mut dest, &NoProgress)
            .unwrap();
        assert_eq!(fetched.sha256, sha256_hex(&bytes));
        assert_eq!(server.hits(), 2);
    }

    #[test]
    fn hang_up_then_success_through_open() {
        let bytes = payload(70_000);
        let served = bytes.clone();
        let server = serve(move |n| {
            if n == 0 {
                Reply::HangUp
            } else {
                Reply::Ok(served.clone())
            }
        });
        let url = server.url.clone();
        let dl = downloader(3);
        let body = dl.open(&|| dl.client().get(&url), "x", None).unwrap();
        assert_eq!(body.content_length(), Some(bytes.len() as u64));
        let mut reader = body.into_reader(None, &NoProgress).with_sha512();
        let mut got = Vec::new();
        reader.read_to_end(&mut got).unwrap();
        let fetched = reader.finish().unwrap();
        assert!(got == bytes);
        assert_eq!(fetched.sha256, sha256_hex(&bytes));
        assert_eq!(fetched.sha512, Some(hex::encode(Sha512::digest(&bytes))));
        assert_eq!(server.hits(), 2);
    }

    #[test]
    fn not_found_is_not_retried() {
        let server = serve(|_| Reply::Status(404));
        let url = server.url.clone();
        let dl = downloader(4);
        let err = dl
            .open(&|| dl.client().get(&url), "x.zip", None)
            .unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::NotFound);
        assert!(err.to_string().contains("answered HTTP 404"), "{err}");
        assert!(err.hint().unwrap().contains("GITHUB_TOKEN"));
        assert_eq!(server.hits(), 1);
    }

    #[test]
    fn server_errors_exhaust_the_retry_budget() {
        let server = serve(|_| Reply::Status(503));
        let url = server.url.clone();
        let dl = downloader(3);
        let err = dl.open(&|| dl.client().get(&url), "x", None).unwrap_err();
        let DownloadError::GaveUp {
            source,
            attempts: 3,
            ..
        } = &err
        else {
            panic!("{err:?}");
        };
        assert!(matches!(**source, DownloadError::Http { status, .. } if status == 503));
        assert_eq!(server.hits(), 3);
    }

    #[test]
    fn hashing_reader_over_a_cut_stream_reports_truncation() {
        let data = payload(400);
        let mut reader =
            HashingReader::new(Cursor::new(data), None, Some(1000), &NoProgress).named("x");
        let mut sink = Vec::new();
        let io_err = reader.read_to_end(&mut sink).unwrap_err();
        assert_eq!(io_err.kind(), io::ErrorKind::UnexpectedEof);
        // Sticky: reading again fails again rather than looking like a clean end.
        assert!(reader.read(&mut [0u8; 16]).is_err());
        let err = reader.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "download of `x` ended after 400 of 1000 bytes"
        );
    }

    #[test]
    fn hashing_reader_rejects_more_than_announced() {
        let reader = HashingReader::new(Cursor::new(payload(20)), None, Some(10), &NoProgress);
        assert!(matches!(
            reader.finish(),
            Err(DownloadError::Oversized { expected: 10, .. })
        ));
    }

    #[test]
    fn finish_drains_what_the_consumer_left_and_tees_everything() {
        let data = payload(600_000);
        let tee = tempfile::NamedTempFile::new().unwrap();
        let mut reader = HashingReader::new(
            Cursor::new(data.clone()),
            Some(tee.reopen().unwrap()),
            Some(data.len() as u64),
            &NoProgress,
        );
        // A consumer that stops early, like a tar reader at the end-of-archive marker.
        let mut consumer = Read::by_ref(&mut reader).take(1000);
        assert_eq!(io::copy(&mut consumer, &mut io::sink()).unwrap(), 1000);
        let fetched = reader.finish().unwrap();
        assert_eq!(fetched.sha256, sha256_hex(&data));
        assert_eq!(fetched.size, data.len() as u64);
        assert!(fs::read(tee.path()).unwrap() == data, "tee is incomplete");
    }

    /// A source that hands out at most `step` bytes per read, like a socket, so many chunks
    /// cross the thread boundary of `finish_while`.
    struct Trickle {
        data: Cursor<Vec<u8>>,
        step: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.step);
            self.data.read(&mut buf[..n])
        }
    }

    #[test]
    fn finish_while_gives_the_consumer_every_byte_in_order() {
        // More chunks than the read-ahead holds, with odd sizes, so buffers get recycled.
        let data = payload(READ_AHEAD_CHUNKS * BUFFER_SIZE * 3 + 12_345);
        let tee = tempfile::NamedTempFile::new().unwrap();
        let source = Trickle {
            data: Cursor::new(data.clone()),
            step: 100_003,
        };
        let progress = Recorder::default();
        let reader = HashingReader::new(
            source,
            Some(tee.reopen().unwrap()),
            Some(data.len() as u64),
            &progress,
        )
        .named("x.tar.gz")
        .with_sha512();
        let (consumed, fetched) = reader.finish_while(|bytes| -> Result<_, ()> {
            let mut got = Vec::new();
            // Small reads too, like a tar parser's 512-byte headers.
            let mut small = [0u8; 512];
            let n = bytes.read(&mut small).unwrap();
            got.extend_from_slice(&small[..n]);
            bytes.read_to_end(&mut got).unwrap();
            Ok(got)
        });
        let fetched = fetched.unwrap();
        let consumed = consumed.unwrap();
        assert!(consumed == data, "the consumer saw different bytes");
        assert_eq!(fetched.sha256, sha256_hex(&data));
        assert_eq!(fetched.sha512, Some(hex::encode(Sha512::digest(&data))));
        assert_eq!(fetched.size, data.len() as u64);
        assert!(fs::read(tee.path()).unwrap() == data, "tee is incomplete");
        assert_eq!(progress.advanced.load(Ordering::SeqCst), data.len());
    }

    #[test]
    fn finish_while_hashes_what_an_early_quitting_consumer_left() {
        let data = payload(READ_AHEAD_CHUNKS * BUFFER_SIZE * 2 + 77);
        let tee = tempfile::NamedTempFile::new().unwrap();
        let reader = HashingReader::new(
            Cursor::new(data.clone()),
            Some(tee.reopen().unwrap()),
            Some(data.len() as u64),
            &NoProgress,
        );
        // Stops after one header, like a tar reader at the end-of-archive marker.
        let (read, fetched) = reader.finish_while(|bytes| {
            let mut head = [0u8; 512];
            bytes.read_exact(&mut head).map(|()| head.len())
        });
        assert_eq!(read.unwrap(), 512);
        let fetched = fetched.unwrap();
        assert_eq!(fetched.sha256, sha256_hex(&data));
        assert_eq!(fetched.size, data.len() as u64);
        assert!(fs::read(tee.path()).unwrap() == data, "tee is incomplete");
    }

    #[test]
    fn finish_while_fails_the_consumer_and_reports_the_cut_body() {
        let data = payload(BUFFER_SIZE + 400);
        let declared = data.len() as u64 + 1000;
        let reader = HashingReader::new(Cursor::new(data), None, Some(declared), &NoProgress)
            .named("x.tar.gz");
        let (consumed, fetched) = reader.finish_while(|bytes| -> Result<_, ()> {
            let first = io::copy(bytes, &mut io::sink());
            // Still failing when asked again: never a clean end after a cut.
            let again = bytes.read(&mut [0u8; 16]);
            Ok((first, again))
        });
        let (first, again) = consumed.unwrap();
        assert_eq!(first.unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
        assert!(again.is_err());
        let err = fetched.unwrap_err();
        assert!(
            matches!(err, DownloadError::Truncated { expected, .. } if expected == declared),
            "{err:?}"
        );
    }

    #[test]
    fn unknown_length_reads_to_the_end() {
        let data = payload(1234);
        let fetched = HashingReader::new(Cursor::new(data.clone()), None, None, &NoProgress)
            .finish()
            .unwrap();
        assert_eq!(fetched.sha256, sha256_hex(&data));
        assert_eq!(fetched.size, 1234);
    }

    #[test]
    fn cache_roundtrip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("cache"));
        let data = payload(10_000);
        let hex = sha256_hex(&data);
        assert_eq!(cache.get(&hex), None);
        let src = dir.path().join("download.tmp");
        fs::write(&src, &data).unwrap();
        let stored = cache.put(&src, &hex).unwrap();
        assert_eq!(
            stored,
            dir.path()
                .join("cache")
                .join("sha256")
                .join(&hex[..2])
                .join(&hex)
        );
        // The entry outlives the downloaded temp file.
        fs::remove_file(&src).unwrap();
        assert_eq!(cache.get(&hex), Some(stored.clone()));
        assert!(fs::read(&stored).unwrap() == data);
        // No temp files left beside the entry.
        let names: Vec<_> = fs::read_dir(stored.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn corrupt_cache_entry_is_never_returned() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let data = payload(10_000);
        let hex = sha256_hex(&data);
        let src = dir.path().join("download.tmp");
        fs::write(&src, &data).unwrap();
        let stored = cache.put(&src, &hex).unwrap();
        fs::remove_file(&src).unwrap();
        // Flip one byte in place.
        let mut corrupt = data.clone();
        corrupt[5000] ^= 1;
        fs::write(&stored, &corrupt).unwrap();
        assert_eq!(cache.get(&hex), None);
        assert!(!stored.exists(), "the corrupt entry should be removed");
    }

    #[test]
    fn cache_rejects_keys_that_are_not_digests() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let src = dir.path().join("f");
        fs::write(&src, b"x").unwrap();
        assert!(cache.put(&src, "../../etc/passwd").is_err());
        assert_eq!(cache.get("../../etc/passwd"), None);
    }
}
