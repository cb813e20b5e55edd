-- A VM's root account accepts this OpenSSH public key (given at creation, written by the seed).
alter table unit add column ssh_authorized_key text
    check (ssh_authorized_key is null or (length(ssh_authorized_key) <= 8192 and position(E'\n' in ssh_authorized_key) = 0));
