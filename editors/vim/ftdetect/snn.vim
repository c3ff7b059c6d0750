" Files ending in .snn are models for snnc; syntax/snn.vim colours them.
au BufRead,BufNewFile *.snn setfiletype snn
