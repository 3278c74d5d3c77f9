# The misc family's C ukernels (codegen/ukernels/*.c): compiled by clang to
# bitcode once per target architecture ovcc emits code for (x86-64 and
# AArch64: a module links the bitcode of its own target, whose calling
# convention and vectorization it was built for), linked into one file per
# architecture and embedded into ovcc_codegen as byte arrays
# (ovcc_ukernels_bc_<arch>) that codegen/bitcode.c hands out.
# Flags: freestanding (no libc headers, so no sysroot is needed for either
# architecture; no builtins turning loops into libc calls), no stack
# protector (no libc guard symbols), no FP contraction (the arithmetic of
# OpenVINO's reference code, op for op).
find_program(OVCC_CLANG NAMES clang-22 clang PATHS /usr/lib/llvm-22/bin NO_DEFAULT_PATH REQUIRED)
find_program(OVCC_LLVM_LINK NAMES llvm-link PATHS /usr/lib/llvm-22/bin NO_DEFAULT_PATH REQUIRED)

set(OVCC_UK_DIR ${CMAKE_SOURCE_DIR}/codegen/ukernels)
set(OVCC_EMBED ${OVCC_UK_DIR}/embed.cmake)
file(GLOB OVCC_UK_SRC CONFIGURE_DEPENDS ${OVCC_UK_DIR}/*.c)
file(GLOB OVCC_UK_HDR CONFIGURE_DEPENDS ${OVCC_UK_DIR}/*.h)
foreach(arch x86_64 aarch64)
  set(dir ${CMAKE_BINARY_DIR}/ukernels/${arch})
  set(bcs)
  foreach(src ${OVCC_UK_SRC})
    get_filename_component(name ${src} NAME_WE)
    set(bc ${dir}/${name}.bc)
    add_custom_command(
      OUTPUT ${bc}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND ${OVCC_CLANG} --target=${arch}-linux-gnu -O2 -std=c11 -ffreestanding -nostdlibinc
              -fno-stack-protector -ffp-contract=off -fno-unwind-tables
              -fno-asynchronous-unwind-tables -Wall -Wextra -Werror -emit-llvm -c ${src} -o ${bc}
      DEPENDS ${src} ${OVCC_UK_HDR}
      COMMENT "ukernel ${name}.c -> ${arch} bitcode" VERBATIM)
    list(APPEND bcs ${bc})
  endforeach()
  set(all ${dir}/ukernels.bc)
  set(c ${dir}/ukernels_bc.c)
  add_custom_command(OUTPUT ${all} COMMAND ${OVCC_LLVM_LINK} ${bcs} -o ${all} DEPENDS ${bcs} VERBATIM)
  add_custom_command(
    OUTPUT ${c}
    COMMAND ${CMAKE_COMMAND} -DIN=${all} -DOUT=${c} -DNAME=ovcc_ukernels_bc_${arch} -P ${OVCC_EMBED}
    DEPENDS ${all} ${OVCC_EMBED} VERBATIM)
  target_sources(ovcc_codegen PRIVATE ${c})
endforeach()
