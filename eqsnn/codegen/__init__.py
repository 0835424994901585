"""Stage 3: SymPy statements → C (inside one Cython module per network) or numpy source."""
from eqsnn.codegen.printing import (CCodePrinter, NumpyCodePrinter, c_expression, c_statements,
                                    numpy_expression, numpy_statements, temporaries)
from eqsnn.codegen.numpy_support import _eqsnn_normal, _eqsnn_uniform, eqsnn_clip, eqsnn_exprel
