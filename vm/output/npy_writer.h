// Recordings as NumPy .npy files, the format Brian2 users load with one `np.load`.
//
// Format 1.0 (2.0 only if a header outgrew 65535 bytes, which two dimensions never do): the magic
// "\x93NUMPY", the version, the header length (little-endian), then an ASCII dict
// "{'descr': '<f8', 'fortran_order': False, 'shape': (R, C), }" padded with spaces and ended by
// '\n' so that the data starts at a multiple of 64 bytes; then the values in C order,
// little-endian. Element types: double '<f8', int32 '<i4', int64 '<i8', uint32 '<u4'.
//
// Whole arrays go through writeNpy. Long recordings go through NpyStreamWriter, which appends
// rows as the simulation produces them and rewrites the shape at the end; its header is padded
// as if the length had 20 digits, so the final header always fits in place. Both write through
// AtomicFile: a recording that is not finished leaves no file.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "vm/output/atomic_file.h"

namespace snn::output {

enum class NpyDtype { kFloat64, kInt32, kInt64, kUInt32 };

std::string_view npyDescr(NpyDtype dtype);  // "<f8", "<i4", "<i8", "<u4"
std::size_t npyItemSize(NpyDtype dtype);

template <typename T>
concept NpyElement = std::same_as<T, double> || std::same_as<T, std::int32_t> ||
    std::same_as<T, std::int64_t> || std::same_as<T, std::uint32_t>;

template <NpyElement T>
constexpr NpyDtype npyDtypeOf() {
  if constexpr (std::same_as<T, double>) return NpyDtype::kFloat64;
  if constexpr (std::same_as<T, std::int32_t>) return NpyDtype::kInt32;
  if constexpr (std::same_as<T, std::int64_t>) return NpyDtype::kInt64;
  if constexpr (std::same_as<T, std::uint32_t>) return NpyDtype::kUInt32;
}

// Everything before the data: magic, version, length and the padded dict. Its size is a multiple
// of 64 and at least `min_size`. shape has 1 or 2 entries.
std::string npyHeader(NpyDtype dtype, std::span<const std::uint64_t> shape,
                      std::size_t min_size = 0);

// Writes one array; `data` holds product(shape) elements of `dtype` in C order.
void writeNpyBytes(const std::filesystem::path& path, NpyDtype dtype,
                   std::span<const std::uint64_t> shape, std::span<const std::byte> data);

// A 1-D array of values.size() elements.
template <NpyElement T>
void writeNpy(const std::filesystem::path& path, std::span<const T> values) {
  const std::uint64_t shape[] = {values.size()};
  writeNpyBytes(path, npyDtypeOf<T>(), shape, std::as_bytes(values));
}

// A 2-D array, rows x columns, row-major; throws std::invalid_argument if the sizes disagree.
template <NpyElement T>
void writeNpy(const std::filesystem::path& path, std::span<const T> values, std::uint64_t rows,
              std::uint64_t columns) {
  if (columns != 0 ? (rows != values.size() / columns || values.size() % columns != 0)
                   : !values.empty()) {
    throw std::invalid_argument("writeNpy: " + std::to_string(values.size()) +
                                " values do not make a " + std::to_string(rows) + " x " +
                                std::to_string(columns) + " array");
  }
  const std::uint64_t shape[] = {rows, columns};
  writeNpyBytes(path, npyDtypeOf<T>(), shape, std::as_bytes(values));
}

class NpyStreamWriter {
 public:
  // A growing 1-D array (shape (n,)).
  static NpyStreamWriter vector(std::filesystem::path path, NpyDtype dtype);
  // A growing 2-D array with a fixed number of columns (shape (rows, columns)).
  static NpyStreamWriter matrix(std::filesystem::path path, NpyDtype dtype, std::uint64_t columns);

  // Vector: appends any number of values. Matrix: appends whole rows (values.size() must be a
  // multiple of the column count; with zero columns use appendRow). Throws
  // std::invalid_argument on a type or size mismatch.
  template <NpyElement T>
  void append(std::span<const T> values) {
    appendBytes(npyDtypeOf<T>(), values.size(), std::as_bytes(values), false);
  }

  // Matrix only: appends one row of exactly columns() values (also when there are none).
  template <NpyElement T>
  void appendRow(std::span<const T> row) {
    appendBytes(npyDtypeOf<T>(), row.size(), std::as_bytes(row), true);
  }

  // Rows written (matrix) or elements written (vector).
  std::uint64_t length() const { return length_; }
  NpyDtype dtype() const { return dtype_; }
  std::optional<std::uint64_t> columns() const { return columns_; }

  // Rewrites the shape and commits the file; without it the file is discarded.
  void finish();

 private:
  NpyStreamWriter(std::filesystem::path path, NpyDtype dtype, std::optional<std::uint64_t> columns);
  void appendBytes(NpyDtype dtype, std::size_t count, std::span<const std::byte> bytes,
                   bool one_row);
  std::string header() const;

  AtomicFile file_;
  NpyDtype dtype_;
  std::optional<std::uint64_t> columns_;
  std::uint64_t length_ = 0;
  std::size_t header_size_ = 0;
};

}  // namespace snn::output
