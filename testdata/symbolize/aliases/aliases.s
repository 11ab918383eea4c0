# Symbol-table shapes the address index must order like the binutils tools
# (no DWARF, so only the symbol table names these addresses):
# - `work` and `work_short`: two global functions at one address with
#   different sizes (aliases, identical-code folding): the larger one names
#   the code;
# - `inner`: a sized local function nested inside `work` (a label made a
#   function): it names its own 8 bytes, and `work` names what follows it;
# - `pair_short` and `pair`: the same as work/work_short with the smaller
#   symbol first in the table, so neither table order alone gives the answer;
# - `other`: a plain function after them.
	.text
	.globl	work
	.type	work, @function
	.globl	work_short
	.type	work_short, @function
	.p2align 4
work:
work_short:
	.fill 40, 1, 0x90
inner:
	.fill 8, 1, 0x90
	.fill 16, 1, 0x90
	ret
	.size	work, .-work
	.size	work_short, 16
	.type	inner, @function
	.size	inner, 8
	.globl	pair_short
	.type	pair_short, @function
	.globl	pair
	.type	pair, @function
	.p2align 4
pair_short:
pair:
	.fill 31, 1, 0x90
	ret
	.size	pair_short, 8
	.size	pair, .-pair
	.globl	other
	.type	other, @function
	.p2align 4
other:
	.fill 15, 1, 0x90
	ret
	.size	other, .-other
	.globl	_start
	.type	_start, @function
_start:
	call	work
	call	pair
	call	other
	ret
	.size	_start, .-_start
	.section	.note.GNU-stack,"",@progbits
