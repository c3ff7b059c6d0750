// writeJson: nlohmann's dump through an AtomicFile.
#include "vm/output/json_writer.h"

#include "vm/output/atomic_file.h"

namespace snn::output {

std::string jsonText(const nlohmann::json& document, int indent) {
  std::string text =
      document.dump(indent, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  return text;
}

void writeJson(const std::filesystem::path& path, const nlohmann::json& document, int indent) {
  AtomicFile file(path);
  file.write(jsonText(document, indent));
  file.commit();
}

}  // namespace snn::output
