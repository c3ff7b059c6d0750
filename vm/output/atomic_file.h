// Output files that appear whole or not at all.
//
// A run that is interrupted, or fails halfway through writing its recordings, must not leave a
// truncated spikes.npy that a later analysis reads as if it were complete. AtomicFile writes to
// `NAME.tmp-<pid>` in the target's own directory (so the final rename stays on one file system
// and is atomic) and renames it over NAME on commit(), after fsync; without commit() the
// destructor removes the temporary and NAME keeps whatever it held before. Two AtomicFiles of one
// process must not target the same NAME at the same time (they would share the temporary).
//
// Writes go through a 64 KiB buffer; writeAt() patches bytes already written (the NPY streaming
// writer rewrites its header that way). Every failure throws OutputError, whose message names
// the path and gives strerror's text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace snn::output {

class OutputError : public std::runtime_error {
 public:
  // what() is "<action> '<path>': <strerror(error_number)>", e.g.
  // "cannot create 'out/spikes.npy.tmp-42': No such file or directory".
  OutputError(std::string_view action, const std::filesystem::path& path, int error_number);
  // For failures that have no errno (a bad argument): "<message> '<path>'"
  OutputError(std::string_view message, const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  int errorNumber() const { return error_number_; }  // 0 when there is none

 private:
  std::filesystem::path path_;
  int error_number_ = 0;
};

class AtomicFile {
 public:
  // Creates (truncates) the temporary next to `target`; throws OutputError.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();  // removes the temporary unless committed; never throws

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::span<const std::byte> bytes);
  void write(std::string_view text);
  void write(const void* data, std::size_t size);

  // Overwrites bytes [offset, offset + size) that were written before; throws std::out_of_range
  // if they reach past what was written.
  void writeAt(std::uint64_t offset, const void* data, std::size_t size);

  std::uint64_t size() const { return size_; }  // bytes written so far
  const std::filesystem::path& targetPath() const { return target_; }
  const std::filesystem::path& temporaryPath() const { return temporary_; }
  bool committed() const { return committed_; }

  // Flushes, fsyncs, closes and renames the temporary over the target. Afterwards nothing may be
  // written. On failure the temporary is removed (by the destructor) and OutputError is thrown.
  void commit();

 private:
  void flush();
  void closeAndRemove() noexcept;

  std::filesystem::path target_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  std::vector<std::byte> buffer_;
  std::uint64_t size_ = 0;     // logical size: written to the file plus buffered
  std::uint64_t flushed_ = 0;  // bytes already in the file
  bool committed_ = false;
};

// The temporary name AtomicFile uses for `target` in this process: "NAME.tmp-<pid>".
std::filesystem::path temporaryPathFor(const std::filesystem::path& target);

}  // namespace snn::output
