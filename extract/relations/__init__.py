"""Relations: what the text states between measures, units, programs, laws, platforms and bodies (`relations`)."""
