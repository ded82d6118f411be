-- The console's decision cards are read a page of runs at a time, newest run first, among the
-- proposals of one status: this index lets that read walk the status's proposals in run order and
-- stop at the page's end, rather than sort every proposal of the status.
create index proposals_status_run on proposals (status, run_id desc);
