// Parser of the .snn language. Lexer: SnnLexer.g4. Reference: docs/language.md.
//
// Each rule says which AST node (compiler/ast/ast.h) it becomes; compiler/parse/ast_builder.cpp
// does the conversion, and nothing past compiler/parse/ sees this parse tree.
//
// Sections: files and declarations; model bodies (neuron and synapse); statements; the
// experiment protocol; units; expressions.
parser grammar SnnParser;

options { tokenVocab = SnnLexer; }

@parser::header {
#include "compiler/parse/unit_predicate.h"
}

@parser::members {
// True when the next token starts on the same line as the previous one. A unit belongs to a
// number only when written on the same line: `n = 5` followed by `m = 3` on the next line is
// two statements, not `5 m` (five metres).
bool sameLine() {
  auto* previous = _input->LT(-1);
  auto* next = _input->LT(1);
  return previous && next && previous->getLine() == next->getLine();
}
// True when token k (1 = next) is an identifier that names a unit (`ms`, `mV`, `cm`, ...).
bool unitAt(int k) {
  auto* token = _input->LT(k);
  return token && token->getType() == IDENT && snn::parse::isUnitName(token->getText());
}
}

// ============================================================ files and declarations

// -> ast::Module
file
    : importDecl* topLevel* EOF
    ;

// -> ast::Import
importDecl
    : IMPORT path=STRING SEMI?
    ;

topLevel
    : modelDecl                                     // -> ast::ModelDecl
    | experimentDecl                                // -> ast::ExperimentDecl
    | letStmt                                       // -> ast::LetDecl (file-wide constant)
    | importDecl                                    // misplaced import: reported by the builder
    | SEMI
    ;

// -> ast::ModelDecl (kind Neuron or Synapse). Which items each kind may contain is checked by
// the AST builder, which gives a better message than a grammar would.
modelDecl
    : kind=(NEURON | SYNAPSE) name=IDENT LBRACE modelItem* RBRACE
    ;

modelItem
    : PARAMETERS LBRACE (parameterDecl | SEMI)* RBRACE  # ParametersBlock
    | STATE LBRACE (stateDecl | SEMI)* RBRACE           # StateBlock
    | EQUATIONS LBRACE (equation | SEMI)* RBRACE        # EquationsBlock
    | THRESHOLD expr                                    # ThresholdItem
    | RESET block                                       # ResetItem
    | REFRACTORY expr                                   # RefractoryItem
    | METHOD name=IDENT                                 # MethodItem
    | ON event=IDENT block                              # OnEventItem
    | DELAY expr                                        # DelayItem
    | SEMI                                              # EmptyItem
    ;

// -> ast::ParameterDecl: `tau = 20 ms` or, with an explicit unit, `tau : second = 20 ms`
parameterDecl
    : name=IDENT (COLON unitSpec)? ASSIGN expr
    ;

// -> ast::StateDecl: `V : volt = V_rest`; without an initial value a state starts at 0
stateDecl
    : name=IDENT COLON unitSpec (ASSIGN expr)?
    ;

// -> ast::Equation
equation
    : d=IDENT SLASH dt=IDENT ASSIGN expr (COLON unitSpec)? flags?         # Ode
    | target=qualifiedName ASSIGN expr (COLON unitSpec)? flags?           # Definition
    ;

flags
    : LPAREN flag (COMMA flag)* RPAREN
    ;

flag
    : UNLESS REFRACTORY
    | EVENT_DRIVEN
    | CLOCK_DRIVEN
    | SUMMED
    ;

qualifiedName
    : IDENT (DOT IDENT)?
    ;

// ============================================================ statements (reset, on pre, at)

// -> std::vector<ast::Stmt>
block
    : LBRACE statement* RBRACE
    ;

statement
    : target=lvalue op=(ASSIGN | PLUS_ASSIGN | MINUS_ASSIGN | STAR_ASSIGN | SLASH_ASSIGN) expr  # AssignStatement
    | IF expr block (ELSE (block | elseIf=statement))?                                        # IfStatement
    | SEMI                                                                                    # EmptyStatement
    ;

// -> ast::LValue: `V`, `post.I_syn`, `E.I_ext`, `E.I_ext[0:10]`
lvalue
    : IDENT (DOT IDENT)? (LBRACK subscript RBRACK)?
    ;

// ============================================================ the experiment protocol

// -> ast::ExperimentDecl
experimentDecl
    : EXPERIMENT name=IDENT LBRACE experimentStmt* RBRACE
    ;

experimentStmt
    : POPULATION name=IDENT ASSIGN model=IDENT LBRACK size=expr RBRACK
          (LPAREN argList? RPAREN)? initialisers?                           # PopulationStmt
    | CONNECT (name=IDENT ASSIGN)? source=IDENT ARROW target=IDENT
          (USING synapse=IDENT (LPAREN argList? RPAREN)?)? connectBody?    # ConnectStmt
    | RECORD recordItem (COMMA recordItem)*                                # RecordStmt
    | RUN expr                                                             # RunStmt
    | AT expr block                                                        # AtStmt
    | PRINT STRING                                                         # PrintStmt
    | PLOT expr (TO path=STRING)?                                          # PlotStmt
    | letStmt                                                              # LetStatement
    | callee=IDENT LPAREN argList? RPAREN                                  # CallStmt
    | target=lvalue op=(ASSIGN | PLUS_ASSIGN | MINUS_ASSIGN | STAR_ASSIGN | SLASH_ASSIGN) expr # ExperimentAssign
    | SEMI                                                                 # ExperimentEmpty
    ;

// -> ast::LetDecl: a named constant or input (`let stim = timed([0, 1] * nA, dt = 100 ms)`)
letStmt
    : LET name=IDENT ASSIGN expr
    ;

// `{ V = V_rest + rand() * 10 mV; I_ext = 5 mV }`
initialisers
    : LBRACE (initialiser | SEMI)* RBRACE
    ;

initialiser
    : name=IDENT ASSIGN expr
    ;

// Rules (`p = 0.1 if i != j`, `one_to_one`), `delay = 1 ms`, synapse initialisers, `on pre`.
connectBody
    : LBRACE (connectItem | SEMI)* RBRACE
    ;

connectItem
    : ON event=IDENT block                                  # ConnectOn
    | key=(IDENT | DELAY) ASSIGN expr (IF condition=expr)?   # ConnectAssign
    | ruleName=IDENT                                            # ConnectRule
    ;

// `spikes(E)`, `rate(E)`, `E.V[0:10] every 0.1 ms`
recordItem
    : expr (EVERY interval=expr)?
    ;

// ============================================================ units

// A unit written on its own, after `:` in a declaration: `volt`, `1`, `uF/cm^2`, `metre^-2 * siemens`
unitSpec
    : unitTerm ((STAR | SLASH) unitTerm)*
    ;

unitTerm
    : (IDENT | NUMBER) unitExponent?
    | LPAREN unitSpec RPAREN unitExponent?
    ;

unitExponent
    : (POW | CARET) (sign=(MINUS | PLUS)? NUMBER | LPAREN sign=MINUS? num=NUMBER (SLASH den=NUMBER)? RPAREN)
    ;

// A unit written after a number: `10 ms`, `2.5 nA`, `1 uF/cm^2`, `120 msiemens/cm**2`.
// Only names of units continue it, and only on the number's line: `10 mV / tau` is ten
// millivolts divided by tau.
quantityUnit
    : {sameLine() && unitAt(1)}? unitPower ({sameLine() && unitAt(2)}? (STAR | SLASH) unitPower)*
    ;

unitPower
    : IDENT unitExponent?
    ;

// ============================================================ expressions
// Precedence from loosest to tightest: or, and, not, comparison, + -, * / %, unary - +,
// ** and ^ (right-associative: -x**2 is -(x**2)), postfix ([ ] and .), primary.

expr
    : orExpr
    ;

orExpr
    : andExpr (OR andExpr)*
    ;

andExpr
    : notExpr (AND notExpr)*
    ;

notExpr
    : NOT notExpr
    | comparison
    ;

comparison
    : additive (op=(EQ | NE | LT | LE | GT | GE) additive)?
    ;

additive
    : multiplicative (op+=(PLUS | MINUS) multiplicative)*
    ;

multiplicative
    : unary (op+=(STAR | SLASH | PERCENT) unary)*
    ;

unary
    : op=(MINUS | PLUS) unary
    | power
    ;

power
    : postfix ((POW | CARET) unary)?
    ;

postfix
    : primary (LBRACK subscript RBRACK | DOT IDENT)*
    ;

// `[3]`, `[0:10]`, `[:10]`, `[5:]`
subscript
    : expr
    | lo=expr? COLON hi=expr?
    ;

primary
    : NUMBER quantityUnit?                        # NumberLiteral
    | STRING                                      # StringLiteral
    | callee=IDENT LPAREN argList? RPAREN         # CallExpr
    | IDENT                                       # NameExpr
    | LPAREN expr RPAREN                          # ParenExpr
    | LBRACK (expr (COMMA expr)*)? COMMA? RBRACK  # ListExpr
    ;

argList
    : argument (COMMA argument)* COMMA?
    ;

argument
    : (name=IDENT ASSIGN)? expr
    ;
