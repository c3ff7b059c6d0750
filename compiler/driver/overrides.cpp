// Command-line overrides put into the syntax tree; see overrides.h.
#include "compiler/driver/overrides.h"

#include <fmt/format.h>

#include "compiler/parse/parser.h"

namespace snn::driver {

namespace {

std::string trim(std::string s) {
  auto first = s.find_first_not_of(" \t");
  auto last = s.find_last_not_of(" \t");
  return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

// The value, parsed from a buffer named after the option; null after a syntax error.
ast::ExprPtr parseValue(const std::string& option, const std::string& value, SourceManager& sources,
                        Diagnostics& diags) {
  FileId file = sources.addBuffer(option, value);
  return parse::parseExpression(sources, file, diags);
}

// `name = value` as an experiment setting: replaces an existing one, or comes first.
void setSetting(ast::ExperimentDecl& experiment, const std::string& name, ast::ExprPtr value,
                SourceRange range) {
  for (auto& stmt : experiment.body) {
    auto* assign = std::get_if<ast::AssignStmt>(&stmt.node);
    if (assign && assign->target.object.empty() && assign->target.name == name) {
      assign->value = std::move(value);
      return;
    }
  }
  ast::AssignStmt assign;
  assign.target.name = name;
  assign.target.name_range = range;
  assign.target.range = range;
  assign.value = std::move(value);
  ast::ExperimentStmt stmt{std::move(assign), range};
  experiment.body.insert(experiment.body.begin(), std::move(stmt));
}

// `param = value` in an argument list: replaces an existing one, or is added.
void setArgument(std::vector<ast::Argument>& arguments, const std::string& name, ast::ExprPtr value,
                 SourceRange range) {
  for (auto& a : arguments) {
    if (a.name == name) {
      a.value = std::move(value);
      return;
    }
  }
  ast::Argument a;
  a.name = name;
  a.name_range = range;
  a.value = std::move(value);
  arguments.push_back(std::move(a));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> Overrides::list() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : sets) {
    auto eq = s.find('=');
    out.emplace_back(trim(s.substr(0, eq)), eq == std::string::npos ? "" : trim(s.substr(eq + 1)));
  }
  if (seed) out.emplace_back("seed", *seed);
  if (duration) out.emplace_back("duration", *duration);
  return out;
}

void applyOverrides(const Overrides& overrides, SourceManager& sources, parse::Program& program,
                    Diagnostics& diags) {
  if (overrides.empty() || program.modules.empty()) return;
  ast::Module& root = program.modules.back();
  auto report = [&](const std::string& option, const std::string& message) {
    FileId file = sources.addBuffer(option, option);
    diags.report(DiagnosticKind::UnknownOverride,
                 SourceRange{file, 0, static_cast<std::uint32_t>(option.size())}, message);
  };

  std::vector<std::pair<std::string, std::string>> items;  // (name, value)
  for (const auto& s : overrides.sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || trim(s.substr(0, eq)).empty() ||
        trim(s.substr(eq + 1)).empty()) {
      report("--set " + s,
             fmt::format("`--set {}`: write `--set NAME=VALUE`, e.g. `--set E.tau=20ms`", s));
      continue;
    }
    items.emplace_back(trim(s.substr(0, eq)), trim(s.substr(eq + 1)));
  }
  if (overrides.seed) items.emplace_back("seed", *overrides.seed);

  for (const auto& [name, text] : items) {
    const std::string option = "--set " + name;
    auto dot = name.find('.');
    bool applied = false;
    for (auto& experiment : root.experiments) {
      if (dot == std::string::npos) {
        if (name != "dt" && name != "seed") break;
        ast::ExprPtr value = parseValue(option, text, sources, diags);
        if (!value) return;
        SourceRange range = value->range;
        setSetting(experiment, name, std::move(value), range);
        applied = true;
        continue;
      }
      const std::string owner = name.substr(0, dot), member = name.substr(dot + 1);
      for (auto& stmt : experiment.body) {
        if (auto* population = std::get_if<ast::PopulationStmt>(&stmt.node);
            population && population->name == owner) {
          ast::ExprPtr value = parseValue(option, text, sources, diags);
          if (!value) return;
          SourceRange range = value->range;
          population->has_arguments = true;
          setArgument(population->arguments, member, std::move(value), range);
          applied = true;
        } else if (auto* connect = std::get_if<ast::ConnectStmt>(&stmt.node);
                   connect && !connect->name.empty() && connect->name == owner) {
          if (connect->synapse.empty()) {
            report(option, fmt::format("`{}` is an inline synapse; its values are set in the "
                                       "connect, not with parameters",
                                       owner));
            return;
          }
          ast::ExprPtr value = parseValue(option, text, sources, diags);
          if (!value) return;
          SourceRange range = value->range;
          connect->has_arguments = true;
          setArgument(connect->arguments, member, std::move(value), range);
          applied = true;
        }
      }
    }
    if (!applied) {
      report(option,
             dot == std::string::npos
                 ? fmt::format("`{}` is not a setting; `--set` takes `dt`, `seed` or "
                               "`POPULATION.parameter`",
                               name)
                 : fmt::format("no experiment of this file has a population or named connection "
                               "`{}`",
                               name.substr(0, dot)));
    }
  }

  if (overrides.duration) {
    const std::string option = "--duration";
    for (auto& experiment : root.experiments) {
      std::vector<ast::RunStmt*> runs;
      for (auto& stmt : experiment.body) {
        if (auto* run = std::get_if<ast::RunStmt>(&stmt.node)) runs.push_back(run);
      }
      if (runs.size() != 1) {
        report(option, fmt::format("--duration needs an experiment with one `run`; `{}` has {}",
                                   experiment.name, runs.size()));
        continue;
      }
      ast::ExprPtr value = parseValue(option, *overrides.duration, sources, diags);
      if (!value) return;
      runs.front()->duration = std::move(value);
    }
  }
}

}  // namespace snn::driver
