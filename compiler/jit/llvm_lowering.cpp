// IR -> LLVM IR; see llvm_lowering.h. The element loop is
//
//   for (i = 0; i < count; ++i) { e = elements ? elements[i] : i; <body> }
//
// with the body's instructions in order, so a kernel's writes happen in element order, as the
// VM's. An index out of range branches to a block that records the failure in the argument
// block and returns; the C++ side (jit_kernel.cpp) turns the status into an exception.
#include "compiler/jit/llvm_lowering.h"

#include <cstddef>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include "compiler/jit/jit_runtime.h"

namespace snn::jit {
namespace {

using ir::Opcode;

class Lowering {
 public:
  Lowering(const ir::Kernel& kernel, llvm::LLVMContext& context, llvm::Module& module)
      : kernel_(kernel), context_(context), module_(module), b_(context) {
    f64_ = llvm::Type::getDoubleTy(context);
    i64_ = llvm::Type::getInt64Ty(context);
    i8_ = llvm::Type::getInt8Ty(context);
    ptr_ = llvm::PointerType::get(context, 0);
  }

  void run(const std::string& function_name) {
    auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context_), {ptr_}, false);
    function_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, function_name, module_);
    function_->addFnAttr(llvm::Attribute::NoUnwind);
    args_ = function_->getArg(0);
    args_->setName("args");

    auto* entry = newBlock("entry");
    auto* loop = newBlock("loop");
    auto* exit = newBlock("exit");
    b_.SetInsertPoint(entry);
    loadInvariants();
    count_ = field(i64_, offsetof(JitArgs, count), "count");
    llvm::Value* elements = field(ptr_, offsetof(JitArgs, elements), "elements");
    b_.CreateCondBr(b_.CreateICmpSGT(count_, b_.getInt64(0)), loop, exit);

    b_.SetInsertPoint(loop);
    auto* i = b_.CreatePHI(i64_, 2, "i");
    i->addIncoming(b_.getInt64(0), entry);
    // The element: from the list when there is one, else the loop counter.
    auto* listed = newBlock("listed");
    auto* body = newBlock("body");
    b_.CreateCondBr(b_.CreateIsNotNull(elements), listed, body);
    b_.SetInsertPoint(listed);
    llvm::Value* from_list = b_.CreateLoad(i64_, b_.CreateInBoundsGEP(i64_, elements, i), "listed_e");
    b_.CreateBr(body);
    b_.SetInsertPoint(body);
    auto* e = b_.CreatePHI(i64_, 2, "e");
    e->addIncoming(from_list, listed);
    e->addIncoming(i, loop);
    element_ = e;

    values_.assign(kernel_.body.size(), nullptr);
    for (std::size_t k = 0; k < kernel_.body.size(); ++k) values_[k] = lower(kernel_.body[k]);

    llvm::Value* next = b_.CreateAdd(i, b_.getInt64(1), "i.next", true, true);
    i->addIncoming(next, b_.GetInsertBlock());
    b_.CreateCondBr(b_.CreateICmpSLT(next, count_), loop, exit);

    b_.SetInsertPoint(exit);
    b_.CreateRetVoid();

    std::string problems;
    llvm::raw_string_ostream out(problems);
    if (llvm::verifyFunction(*function_, &out)) {
      throw std::logic_error(fmt::format("LLVM IR of kernel `{}` does not verify: {}",
                                         kernel_.name, out.str()));
    }
  }

 private:
  llvm::BasicBlock* newBlock(const char* name) {
    return llvm::BasicBlock::Create(context_, name, function_);
  }

  llvm::Value* fieldAddress(std::size_t offset) {
    return b_.CreateConstInBoundsGEP1_64(i8_, args_, offset);
  }
  llvm::Value* field(llvm::Type* type, std::size_t offset, const char* name) {
    return b_.CreateLoad(type, fieldAddress(offset), name);
  }
  void storeField(std::size_t offset, llvm::Value* value) {
    b_.CreateStore(value, fieldAddress(offset));
  }

  // What does not change over the loop, read once in the entry block.
  void loadInvariants() {
    llvm::Value* buffers = field(ptr_, offsetof(JitArgs, buffers), "buffers");
    llvm::Value* sizes = field(ptr_, offsetof(JitArgs, buffer_sizes), "sizes");
    for (std::size_t s = 0; s < kernel_.buffers.size(); ++s) {
      buffer_.push_back(b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(ptr_, buffers, s),
                                      kernel_.buffers[s].name));
      size_.push_back(b_.CreateLoad(i64_, b_.CreateConstInBoundsGEP1_64(i64_, sizes, s)));
    }
    llvm::Value* params = field(ptr_, offsetof(JitArgs, params), "params");
    for (std::size_t p = 0; p < kernel_.params.size(); ++p) {
      param_.push_back(b_.CreateLoad(f64_, b_.CreateConstInBoundsGEP1_64(f64_, params, p),
                                     kernel_.params[p].name));
    }
    tables_ = field(ptr_, offsetof(JitArgs, tables), "tables");
    t_ = field(f64_, offsetof(JitArgs, t), "t");
    dt_ = field(f64_, offsetof(JitArgs, dt), "dt");
    spikes_ = field(ptr_, offsetof(JitArgs, spikes), "spikes");
    spike_capacity_ = field(i64_, offsetof(JitArgs, spike_capacity), "spike_capacity");
    spike_size_ = field(ptr_, offsetof(JitArgs, spike_size), "spike_size");
  }

  llvm::Value* operand(const ir::Instruction& inst, int k) { return values_.at(inst.operands[k]); }

  // Stops the kernel with `status` unless `ok`; continues in a new block otherwise.
  void failUnless(llvm::Value* ok, JitStatus status, llvm::Value* value, std::uint32_t slot,
                  Opcode op) {
    auto* fail = newBlock("fail");
    auto* cont = newBlock("cont");
    b_.CreateCondBr(ok, cont, fail);
    b_.SetInsertPoint(fail);
    storeField(offsetof(JitArgs, status), b_.getInt64(status));
    storeField(offsetof(JitArgs, error_value), value);
    storeField(offsetof(JitArgs, error_slot), b_.getInt64(slot));
    storeField(offsetof(JitArgs, error_op), b_.getInt64(static_cast<std::uint64_t>(op)));
    b_.CreateRetVoid();
    b_.SetInsertPoint(cont);
  }

  // The address of buffer[slot][index] (of `type`) after checking the index.
  llvm::Value* element(const ir::Instruction& inst, llvm::Type* type) {
    llvm::Value* index = operand(inst, 0);
    // Unsigned: a negative index is out of range too.
    failUnless(b_.CreateICmpULT(index, size_.at(inst.slot)), kJitIndexOutOfRange, index,
               inst.slot, inst.op);
    return b_.CreateInBoundsGEP(type, buffer_.at(inst.slot), index);
  }

  llvm::FunctionCallee helper(const char* name, llvm::FunctionType* type, bool pure) {
    llvm::FunctionCallee callee = module_.getOrInsertFunction(name, type);
    if (auto* f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
      f->addFnAttr(llvm::Attribute::NoUnwind);
      f->addFnAttr(llvm::Attribute::WillReturn);
      if (pure) {
        f->setDoesNotAccessMemory();
        // Defined for every input: LICM may hoist a call on uniform operands out of the loop,
        // past the bounds checks, as the VM's uniform section runs it once per call.
        f->addFnAttr(llvm::Attribute::Speculatable);
      }
    }
    return callee;
  }
  llvm::Value* callUnary(const char* name, llvm::Value* x) {
    auto* type = llvm::FunctionType::get(f64_, {f64_}, false);
    return b_.CreateCall(helper(name, type, true), {x});
  }
  llvm::Value* callBinary(const char* name, llvm::Value* x, llvm::Value* y) {
    auto* type = llvm::FunctionType::get(f64_, {f64_, f64_}, false);
    return b_.CreateCall(helper(name, type, true), {x, y});
  }
  llvm::Value* intrinsic(llvm::Intrinsic::ID id, llvm::Value* x) {
    return b_.CreateUnaryIntrinsic(id, x);
  }

  llvm::Value* nan() { return llvm::ConstantFP::getQNaN(f64_); }
  // std::min(x, y) is `y < x ? y : x`; NaN in, NaN out (execute.inc's minF).
  llvm::Value* minOf(llvm::Value* x, llvm::Value* y) {
    return b_.CreateSelect(b_.CreateFCmpOLT(y, x), y, x);
  }
  llvm::Value* maxOf(llvm::Value* x, llvm::Value* y) {
    return b_.CreateSelect(b_.CreateFCmpOLT(x, y), y, x);
  }
  llvm::Value* eitherNaN(llvm::Value* x, llvm::Value* y) { return b_.CreateFCmpUNO(x, y); }

  llvm::Value* lower(const ir::Instruction& inst) {
    switch (inst.op) {
      case Opcode::ConstF: return llvm::ConstantFP::get(f64_, inst.constant);
      case Opcode::ConstI: return b_.getInt64(static_cast<std::uint64_t>(inst.imm));
      case Opcode::ConstB: return b_.getInt1(inst.constant != 0);
      case Opcode::Element: return element_;
      case Opcode::Count: return count_;
      case Opcode::Param: return param_.at(inst.slot);
      case Opcode::Time: return t_;
      case Opcode::TimeStep: return dt_;

      case Opcode::Load: return b_.CreateLoad(f64_, element(inst, f64_));
      case Opcode::LoadIndex: return b_.CreateLoad(i64_, element(inst, i64_));
      case Opcode::Store: {
        llvm::Value* address = element(inst, f64_);
        b_.CreateStore(operand(inst, 1), address);
        return nullptr;
      }
      case Opcode::Accumulate: {
        llvm::Value* address = element(inst, f64_);
        b_.CreateStore(b_.CreateFAdd(b_.CreateLoad(f64_, address), operand(inst, 1)), address);
        return nullptr;
      }
      case Opcode::EmitSpike: {
        auto* emit = newBlock("spike");
        auto* done = newBlock("spike.done");
        b_.CreateCondBr(operand(inst, 0), emit, done);
        b_.SetInsertPoint(emit);
        llvm::Value* size = b_.CreateLoad(i64_, spike_size_, "spike_count");
        failUnless(b_.CreateICmpULT(size, spike_capacity_), kJitSpikeListFull, size, 0, inst.op);
        b_.CreateStore(element_, b_.CreateInBoundsGEP(i64_, spikes_, size));
        b_.CreateStore(b_.CreateAdd(size, b_.getInt64(1)), spike_size_);
        b_.CreateBr(done);
        b_.SetInsertPoint(done);
        return nullptr;
      }
      case Opcode::Timed: {
        auto* type = llvm::FunctionType::get(f64_, {ptr_, f64_, f64_}, false);
        llvm::FunctionCallee callee = helper("snn_jit_timed", type, false);
        if (auto* f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) f->setOnlyReadsMemory();
        llvm::Value* table = b_.CreateConstInBoundsGEP1_64(
            i8_, tables_, static_cast<std::uint64_t>(inst.slot) * sizeof(JitTable));
        return b_.CreateCall(callee, {table, operand(inst, 0), dt_});
      }
      case Opcode::Rand:
      case Opcode::Randn: {
        auto* type = llvm::FunctionType::get(f64_, {ptr_, i64_, i64_, i64_}, false);
        const char* name = inst.op == Opcode::Rand ? "snn_jit_rand" : "snn_jit_randn";
        return b_.CreateCall(helper(name, type, false),
                             {args_, operand(inst, 0), b_.getInt64(static_cast<std::uint64_t>(inst.imm)),
                              b_.getInt64(inst.slot)});
      }

      case Opcode::IntToFloat: return b_.CreateSIToFP(operand(inst, 0), f64_);
      // Saturating, NaN to 0: execute.inc's toInt.
      case Opcode::FloatToInt:
        return b_.CreateIntrinsic(llvm::Intrinsic::fptosi_sat, {i64_, f64_}, {operand(inst, 0)});
      case Opcode::Select: return b_.CreateSelect(operand(inst, 0), operand(inst, 1), operand(inst, 2));

      case Opcode::Add: return b_.CreateFAdd(operand(inst, 0), operand(inst, 1));
      case Opcode::Sub: return b_.CreateFSub(operand(inst, 0), operand(inst, 1));
      case Opcode::Mul: return b_.CreateFMul(operand(inst, 0), operand(inst, 1));
      case Opcode::Div: return b_.CreateFDiv(operand(inst, 0), operand(inst, 1));
      case Opcode::Mod: return callBinary("snn_jit_mod", operand(inst, 0), operand(inst, 1));
      case Opcode::Neg: return b_.CreateFNeg(operand(inst, 0));
      case Opcode::Pow: return callBinary("snn_jit_pow", operand(inst, 0), operand(inst, 1));
      case Opcode::Min: {
        llvm::Value* x = operand(inst, 0);
        llvm::Value* y = operand(inst, 1);
        return b_.CreateSelect(eitherNaN(x, y), nan(), minOf(x, y));
      }
      case Opcode::Max: {
        llvm::Value* x = operand(inst, 0);
        llvm::Value* y = operand(inst, 1);
        return b_.CreateSelect(eitherNaN(x, y), nan(), maxOf(x, y));
      }
      case Opcode::Clip: {
        llvm::Value* x = operand(inst, 0);
        llvm::Value* lo = operand(inst, 1);
        llvm::Value* hi = operand(inst, 2);
        llvm::Value* any_nan = b_.CreateOr(eitherNaN(x, lo), b_.CreateFCmpUNO(hi, hi));
        return b_.CreateSelect(any_nan, nan(), minOf(maxOf(x, lo), hi));
      }
      case Opcode::Exp: return callUnary("snn_jit_exp", operand(inst, 0));
      case Opcode::Log: return callUnary("snn_jit_log", operand(inst, 0));
      case Opcode::Log10: return callUnary("snn_jit_log10", operand(inst, 0));
      case Opcode::Sqrt: return intrinsic(llvm::Intrinsic::sqrt, operand(inst, 0));
      case Opcode::Sin: return callUnary("snn_jit_sin", operand(inst, 0));
      case Opcode::Cos: return callUnary("snn_jit_cos", operand(inst, 0));
      case Opcode::Tan: return callUnary("snn_jit_tan", operand(inst, 0));
      case Opcode::Sinh: return callUnary("snn_jit_sinh", operand(inst, 0));
      case Opcode::Cosh: return callUnary("snn_jit_cosh", operand(inst, 0));
      case Opcode::Tanh: return callUnary("snn_jit_tanh", operand(inst, 0));
      case Opcode::Asin: return callUnary("snn_jit_asin", operand(inst, 0));
      case Opcode::Acos: return callUnary("snn_jit_acos", operand(inst, 0));
      case Opcode::Atan: return callUnary("snn_jit_atan", operand(inst, 0));
      case Opcode::Abs: return intrinsic(llvm::Intrinsic::fabs, operand(inst, 0));
      case Opcode::Floor: return intrinsic(llvm::Intrinsic::floor, operand(inst, 0));
      case Opcode::Ceil: return intrinsic(llvm::Intrinsic::ceil, operand(inst, 0));
      case Opcode::Sign: {
        llvm::Value* x = operand(inst, 0);
        llvm::Value* zero = llvm::ConstantFP::get(f64_, 0.0);
        llvm::Value* up = b_.CreateZExt(b_.CreateFCmpOGT(x, zero), i64_);
        llvm::Value* down = b_.CreateZExt(b_.CreateFCmpOLT(x, zero), i64_);
        llvm::Value* sign = b_.CreateSIToFP(b_.CreateSub(up, down), f64_);
        return b_.CreateSelect(b_.CreateFCmpUNO(x, x), x, sign);
      }
      case Opcode::Exprel: return callUnary("snn_jit_exprel", operand(inst, 0));

      case Opcode::Eq: return b_.CreateFCmpOEQ(operand(inst, 0), operand(inst, 1));
      case Opcode::Ne: return b_.CreateFCmpUNE(operand(inst, 0), operand(inst, 1));
      case Opcode::Lt: return b_.CreateFCmpOLT(operand(inst, 0), operand(inst, 1));
      case Opcode::Le: return b_.CreateFCmpOLE(operand(inst, 0), operand(inst, 1));
      case Opcode::Gt: return b_.CreateFCmpOGT(operand(inst, 0), operand(inst, 1));
      case Opcode::Ge: return b_.CreateFCmpOGE(operand(inst, 0), operand(inst, 1));

      case Opcode::And: return b_.CreateAnd(operand(inst, 0), operand(inst, 1));
      case Opcode::Or: return b_.CreateOr(operand(inst, 0), operand(inst, 1));
      case Opcode::Not: return b_.CreateNot(operand(inst, 0));
    }
    throw std::logic_error(fmt::format("kernel `{}`: opcode {} has no LLVM lowering", kernel_.name,
                                       static_cast<int>(inst.op)));
  }

  const ir::Kernel& kernel_;
  llvm::LLVMContext& context_;
  llvm::Module& module_;
  llvm::IRBuilder<> b_;
  llvm::Type* f64_;
  llvm::Type* i64_;
  llvm::Type* i8_;
  llvm::PointerType* ptr_;
  llvm::Function* function_ = nullptr;
  llvm::Value* args_ = nullptr;
  llvm::Value* count_ = nullptr;
  llvm::Value* element_ = nullptr;
  llvm::Value* tables_ = nullptr;
  llvm::Value* t_ = nullptr;
  llvm::Value* dt_ = nullptr;
  llvm::Value* spikes_ = nullptr;
  llvm::Value* spike_capacity_ = nullptr;
  llvm::Value* spike_size_ = nullptr;
  std::vector<llvm::Value*> buffer_;
  std::vector<llvm::Value*> size_;
  std::vector<llvm::Value*> param_;
  std::vector<llvm::Value*> values_;
};

}  // namespace

std::unique_ptr<llvm::Module> lowerKernel(const ir::Kernel& kernel, llvm::LLVMContext& context,
                                          const std::string& function_name) {
  auto module = std::make_unique<llvm::Module>(kernel.name, context);
  Lowering(kernel, context, *module).run(function_name);
  return module;
}

}  // namespace snn::jit
