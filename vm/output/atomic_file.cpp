// AtomicFile on POSIX file descriptors: write(2)/pwrite(2) report errno, which a std::ofstream
// would hide, and fsync + rename is the only way to replace a file atomically and durably.
#include "vm/output/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace snn::output {

namespace {

constexpr std::size_t kBufferSize = 64 * 1024;

// Writes all of [data, data + size) at `offset`, retrying short writes and EINTR.
int writeFully(int fd, const std::byte* data, std::size_t size, std::uint64_t offset) {
  while (size > 0) {
    ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;
    data += n;
    size -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  return 0;
}

}  // namespace

OutputError::OutputError(std::string_view action, const std::filesystem::path& path,
                         int error_number)
    : std::runtime_error(
          fmt::format("{} '{}': {}", action, path.string(), std::strerror(error_number))),
      path_(path),
      error_number_(error_number) {}

OutputError::OutputError(std::string_view message, const std::filesystem::path& path)
    : std::runtime_error(fmt::format("{} '{}'", message, path.string())), path_(path) {}

std::filesystem::path temporaryPathFor(const std::filesystem::path& target) {
  std::filesystem::path temporary = target;
  temporary += fmt::format(".tmp-{}", static_cast<long>(::getpid()));
  return temporary;
}

AtomicFile::AtomicFile(std::filesystem::path target)
    : target_(std::move(target)), temporary_(temporaryPathFor(target_)) {
  if (target_.filename().empty()) throw OutputError("not a file name:", target_);
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) throw OutputError("cannot create", temporary_, errno);
  buffer_.reserve(kBufferSize);
}

AtomicFile::~AtomicFile() {
  if (!committed_) closeAndRemove();
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      temporary_(std::move(other.temporary_)),
      fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)),
      size_(other.size_),
      flushed_(other.flushed_),
      committed_(std::exchange(other.committed_, true)) {}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
  if (this != &other) {
    if (!committed_) closeAndRemove();
    target_ = std::move(other.target_);
    temporary_ = std::move(other.temporary_);
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
    size_ = other.size_;
    flushed_ = other.flushed_;
    committed_ = std::exchange(other.committed_, true);  // the moved-from object owns nothing
  }
  return *this;
}

void AtomicFile::closeAndRemove() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

void AtomicFile::write(const void* data, std::size_t size) {
  if (fd_ < 0) throw OutputError("file is closed (committed or failed):", target_);
  const auto* bytes = static_cast<const std::byte*>(data);
  if (buffer_.size() + size > kBufferSize) {
    flush();
    if (size >= kBufferSize) {
      if (int error = writeFully(fd_, bytes, size, flushed_)) {
        throw OutputError("cannot write", temporary_, error);
      }
      flushed_ += size;
      size_ += size;
      return;
    }
  }
  buffer_.insert(buffer_.end(), bytes, bytes + size);
  size_ += size;
}

void AtomicFile::write(std::span<const std::byte> bytes) {
  write(bytes.data(), bytes.size());
}

void AtomicFile::write(std::string_view text) {
  write(text.data(), text.size());
}

void AtomicFile::writeAt(std::uint64_t offset, const void* data, std::size_t size) {
  if (fd_ < 0) throw OutputError("file is closed (committed or failed):", target_);
  if (offset > size_ || size > size_ - offset) {
    throw std::out_of_range(
        fmt::format("AtomicFile::writeAt: bytes [{}, {}) are past the end ({}) of '{}'", offset,
                    offset + size, size_, temporary_.string()));
  }
  flush();
  if (int error = writeFully(fd_, static_cast<const std::byte*>(data), size, offset)) {
    throw OutputError("cannot write", temporary_, error);
  }
}

void AtomicFile::flush() {
  if (buffer_.empty()) return;
  if (int error = writeFully(fd_, buffer_.data(), buffer_.size(), flushed_)) {
    throw OutputError("cannot write", temporary_, error);
  }
  flushed_ += buffer_.size();
  buffer_.clear();
}

void AtomicFile::commit() {
  if (fd_ < 0) throw OutputError("file is closed (committed or failed):", target_);
  flush();
  if (::fsync(fd_) != 0) throw OutputError("cannot sync", temporary_, errno);
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) throw OutputError("cannot close", temporary_, errno);
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    throw OutputError(fmt::format("cannot rename '{}' to", temporary_.string()), target_, errno);
  }
  committed_ = true;
}

}  // namespace snn::output
