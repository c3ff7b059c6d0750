// Lexer of the .snn language. The parser is in SnnParser.g4; docs/language.md is the reference.
//
// Sections: keywords, operators and punctuation, literals, names, trivia, and a last-resort
// token for characters that belong to no token (turned into a diagnostic, never dropped).
lexer grammar SnnLexer;

// ---- keywords (reserved: they cannot name variables)
IMPORT      : 'import';
NEURON      : 'neuron';
SYNAPSE     : 'synapse';
EXPERIMENT  : 'experiment';
PARAMETERS  : 'parameters';
STATE       : 'state';
EQUATIONS   : 'equations';
THRESHOLD   : 'threshold';
RESET       : 'reset';
REFRACTORY  : 'refractory';
METHOD      : 'method';
DELAY       : 'delay';
ON          : 'on';
POPULATION  : 'population';
CONNECT     : 'connect';
USING       : 'using';
RECORD      : 'record';
EVERY       : 'every';
RUN         : 'run';
AT          : 'at';
PRINT       : 'print';
PLOT        : 'plot';
TO          : 'to';
LET         : 'let';
IF          : 'if';
ELSE        : 'else';
AND         : 'and';
OR          : 'or';
NOT         : 'not';
// Equation flags. They are keywords so that `-V/tau (unless refractory)` can never be read as
// a call of `tau`.
UNLESS       : 'unless';
SUMMED       : 'summed';
EVENT_DRIVEN : 'event-driven';
CLOCK_DRIVEN : 'clock-driven';

// ---- operators and punctuation
ARROW       : '->';
POW         : '**';
CARET       : '^';
PLUS_ASSIGN : '+=';
MINUS_ASSIGN: '-=';
STAR_ASSIGN : '*=';
SLASH_ASSIGN: '/=';
EQ          : '==';
NE          : '!=';
LE          : '<=';
GE          : '>=';
LT          : '<';
GT          : '>';
ASSIGN      : '=';
PLUS        : '+';
MINUS       : '-';
STAR        : '*';
SLASH       : '/';
PERCENT     : '%';
LPAREN      : '(';
RPAREN      : ')';
LBRACK      : '[';
RBRACK      : ']';
LBRACE      : '{';
RBRACE      : '}';
COMMA       : ',';
DOT         : '.';
COLON       : ':';
SEMI        : ';';

// ---- literals
// A number is always unitless in the token stream; a unit written right after it (same line)
// is attached by the parser (rule `quantity`).
NUMBER
    : DIGITS ('.' DIGITS?)? EXPONENT?
    | '.' DIGITS EXPONENT?
    ;
fragment DIGITS   : [0-9]+;
fragment EXPONENT : [eE] [+-]? [0-9]+;

STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"';
// A string that reaches the end of its line: reported as an error with a clear message.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])*;

// ---- names. `µ` (micro sign) and `μ` (Greek mu) are letters, so that `µs` and `μV` are units.
IDENT : [a-zA-Z_\u00B5\u03BC] [a-zA-Z0-9_]*;

// ---- trivia
LINE_COMMENT  : ('//' | '#') ~[\r\n]* -> skip;
BLOCK_COMMENT : '/*' .*? '*/' -> skip;
// It must not contain `*/`: the lexer takes the longest match, and `.*? EOF` would swallow a
// closed comment together with the rest of the file.
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF;
WS : [ \t\r\n\f\u00A0\uFEFF]+ -> skip;

// ---- anything else: one character, reported by the parser front end.
ERROR_CHAR : .;
