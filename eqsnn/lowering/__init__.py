"""The build stage: a model's strings and namespace → frozen, typed records.

Between the integrators and the code generator. For each NeuronGroup
(:mod:`.neurons`), Synapses object (:mod:`.synapses`) and string evaluated once
(initialisers, connect conditions), it parses the strings, resolves their names
(:mod:`.namespace`), checks units, discretises the equations (with
:mod:`eqsnn.integrators`), prints every operation for every backend with plain local
names (with :mod:`eqsnn.printers`) and returns a record (:mod:`.records`): plain data
that the runtime and the code generator read, and that is kept as JSON in the build
cache (:mod:`.cache`).

It is the only part of the build path that imports SymPy; a warm run loads records and
never imports this package's SymPy side (``records``, ``cache``, ``names`` and
``namespace`` import no SymPy; ``neurons``, ``synapses``, ``printed`` and ``trees`` do).
Strings evaluated once go through :mod:`.initialisers`; the user functions a string
calls are found by :mod:`.user_functions`. ``eqsnn.derive`` is :mod:`.teaching`'s: the
integrators' derivation and then the statements of the compiled loop (a synapse model's
two kinds of equations apart: :mod:`.synapse_teaching`).
"""
