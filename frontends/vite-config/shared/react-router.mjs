// What the apps share as "react-router". The federation plugin emits a shared module as a chunk
// that keeps every export of its entry (a remote might import any of them), so sharing the
// package itself ships the whole of react-router 7 — data routers, server rendering, cookies —
// about 65 kB gzipped, on every page. The apps use declarative routing only; this subset is what
// the shared chunk is built from (vite-config's SHARED points `packagePath` here), and the rest is
// tree-shaken away. An import of something missing here fails the build ("is not exported").
export {
  BrowserRouter,
  Routes,
  Route,
  Navigate,
  Outlet,
  Link,
  NavLink,
  useLocation,
  useNavigate,
  useParams,
  useSearchParams,
} from 'react-router';
