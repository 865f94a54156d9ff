// https://in.a.comment/ is not reported
fetch("https://api.example.com/data");
