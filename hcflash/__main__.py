from hcflash.cli import main

main()
