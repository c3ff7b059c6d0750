// `snnc check -v`: what sema understood of each model, in the units a modeller reads
// (parameters with their values, states and sub-expressions with their units, the ODEs with
// their flags and integration method).
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include "compiler/sema/checked_program.h"

namespace snn::sema {

void printModelSummary(const CheckedProgram& program, std::ostream& out);

// The integration method of one ODE as the equations stage chose it ("exact",
// "exponential_euler (conditionally linear)", ...). Until that stage exists, the summary
// prints the declared `method` or "chosen automatically".
using IntegrationMethodHook = std::function<std::string(const CheckedModel&, const CheckedOde&)>;
void printModelSummary(const CheckedProgram& program, std::ostream& out,
                       const IntegrationMethodHook& method_of);

// Which models `snnc check -v FILE` lists: those declared in FILE (the last module) and those
// its experiments use, not every model of every imported library.
using ModelFilter = std::function<bool(const CheckedModel&)>;
ModelFilter modelsOfRootFile(const CheckedProgram& program, const ast::Module& root);
void printModelSummary(const CheckedProgram& program, std::ostream& out,
                       const IntegrationMethodHook& method_of, const ModelFilter& include);

}  // namespace snn::sema
