// The NPY header and the two writers (see npy_writer.h for the format).
#include "vm/output/npy_writer.h"

#include <bit>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace snn::output {

// The data is written as it lies in memory; .npy says little-endian.
static_assert(std::endian::native == std::endian::little,
              "the NPY writer writes native byte order and labels it little-endian");

namespace {

constexpr std::size_t kAlignment = 64;
constexpr std::string_view kMagic = "\x93NUMPY";

std::string shapeText(std::span<const std::uint64_t> shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  if (shape.size() == 2) return fmt::format("({}, {})", shape[0], shape[1]);
  throw std::invalid_argument("npy: only 1-D and 2-D arrays are written");
}

}  // namespace

std::string_view npyDescr(NpyDtype dtype) {
  switch (dtype) {
    case NpyDtype::kFloat64:
      return "<f8";
    case NpyDtype::kInt32:
      return "<i4";
    case NpyDtype::kInt64:
      return "<i8";
    case NpyDtype::kUInt32:
      return "<u4";
  }
  throw std::invalid_argument("npy: unknown dtype");
}

std::size_t npyItemSize(NpyDtype dtype) {
  switch (dtype) {
    case NpyDtype::kFloat64:
      return 8;
    case NpyDtype::kInt32:
      return 4;
    case NpyDtype::kInt64:
      return 8;
    case NpyDtype::kUInt32:
      return 4;
  }
  throw std::invalid_argument("npy: unknown dtype");
}

std::string npyHeader(NpyDtype dtype, std::span<const std::uint64_t> shape, std::size_t min_size) {
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}",
                                 npyDescr(dtype), shapeText(shape));
  // Version 1.0 has a 2-byte length field, 2.0 a 4-byte one.
  for (std::size_t length_bytes : {std::size_t{2}, std::size_t{4}}) {
    std::size_t prefix = kMagic.size() + 2 + length_bytes;
    std::size_t total = prefix + dict.size() + 1;  // + '\n'
    total = std::max(total, min_size);
    total = (total + kAlignment - 1) / kAlignment * kAlignment;
    std::size_t header_length = total - prefix;
    if (length_bytes == 2 && header_length > std::numeric_limits<std::uint16_t>::max()) continue;
    std::string out(kMagic);
    out.push_back(static_cast<char>(length_bytes == 2 ? 1 : 2));  // major version
    out.push_back(0);                                             // minor version
    for (std::size_t i = 0; i < length_bytes; ++i)
      out.push_back(static_cast<char>((header_length >> (8 * i)) & 0xff));
    out += dict;
    out.append(total - out.size() - 1, ' ');
    out.push_back('\n');
    return out;
  }
  throw std::invalid_argument("npy: header too long");
}

void writeNpyBytes(const std::filesystem::path& path, NpyDtype dtype,
                   std::span<const std::uint64_t> shape, std::span<const std::byte> data) {
  std::uint64_t count = 1;
  for (std::uint64_t extent : shape) count *= extent;
  if (count * npyItemSize(dtype) != data.size())
    throw std::invalid_argument(fmt::format("npy: {} bytes do not fill shape {} of '{}'",
                                            data.size(), shapeText(shape), npyDescr(dtype)));
  AtomicFile file(path);
  file.write(npyHeader(dtype, shape));
  file.write(data);
  file.commit();
}

NpyStreamWriter NpyStreamWriter::vector(std::filesystem::path path, NpyDtype dtype) {
  return NpyStreamWriter(std::move(path), dtype, std::nullopt);
}

NpyStreamWriter NpyStreamWriter::matrix(std::filesystem::path path, NpyDtype dtype,
                                        std::uint64_t columns) {
  return NpyStreamWriter(std::move(path), dtype, columns);
}

NpyStreamWriter::NpyStreamWriter(std::filesystem::path path, NpyDtype dtype,
                                 std::optional<std::uint64_t> columns)
    : file_(std::move(path)), dtype_(dtype), columns_(columns) {
  // Reserve room for the longest length there can be, so finish() rewrites in place.
  std::uint64_t longest[] = {std::numeric_limits<std::uint64_t>::max(), columns.value_or(0)};
  std::size_t reserved = npyHeader(dtype, std::span(longest, columns ? 2 : 1)).size();
  std::uint64_t empty[] = {0, columns.value_or(0)};
  std::string first = npyHeader(dtype, std::span(empty, columns ? 2 : 1), reserved);
  header_size_ = first.size();
  file_.write(first);
}

std::string NpyStreamWriter::header() const {
  std::uint64_t shape[] = {length_, columns_.value_or(0)};
  return npyHeader(dtype_, std::span(shape, columns_ ? 2 : 1), header_size_);
}

void NpyStreamWriter::appendBytes(NpyDtype dtype, std::size_t count,
                                  std::span<const std::byte> bytes, bool one_row) {
  if (dtype != dtype_) {
    throw std::invalid_argument(fmt::format("npy: appending '{}' values to a '{}' array",
                                            npyDescr(dtype), npyDescr(dtype_)));
  }
  std::uint64_t added = count;
  if (one_row) {
    if (!columns_ || count != *columns_) {
      throw std::invalid_argument(fmt::format(
          "npy: a row of {} values in an array of {}", count,
          columns_ ? fmt::format("{} columns", *columns_) : std::string("one dimension")));
    }
    added = 1;
  } else if (columns_) {
    if (*columns_ == 0 ? count != 0 : count % *columns_ != 0) {
      throw std::invalid_argument(
          fmt::format("npy: {} values are not whole rows of {}", count, *columns_));
    }
    added = *columns_ == 0 ? 0 : count / *columns_;
  }
  file_.write(bytes);
  length_ += added;
}

void NpyStreamWriter::finish() {
  std::string final_header = header();
  if (final_header.size() != header_size_)
    throw std::logic_error("npy: the final header does not fit the reserved space");
  file_.writeAt(0, final_header.data(), final_header.size());
  file_.commit();
}

}  // namespace snn::output
