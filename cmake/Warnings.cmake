# The compiler warnings of the whole project, in one place.
function(rk_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wformat=2 -Wvla -Wno-format-nonliteral)
  if(RK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
